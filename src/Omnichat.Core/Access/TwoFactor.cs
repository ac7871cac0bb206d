using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Omnichat.Core.Access;

/// <summary>
/// TOTP two-factor sign-in (RFC 6238, as authenticator apps do it): enrol by QR code or by typing the secret,
/// confirm with a first code, receive ten one-time recovery codes; turn off or get new recovery codes with a code.
/// </summary>
public static class TwoFactor
{
    public const int RecoveryCodeCount = 10;

    public sealed record Enrolment(string Secret, string OtpAuthUri, string QrCodeSvg);

    public sealed record CodeRequest(string Code);

    public sealed record Status(bool Enabled, int RecoveryCodesLeft);

    public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

    public sealed class CodeValidator : AbstractValidator<CodeRequest>
    {
        public CodeValidator() => RuleFor(r => r.Code).NotEmpty().MaximumLength(32);
    }

    public sealed class Handler(UserManager<StaffUser> users, IOptions<OmnichatOptions> options)
    {
        public async Task<Status> StatusAsync(OperatorId who, CancellationToken cancellationToken)
        {
            var user = await UserAsync(who);
            return new Status(user.TwoFactorEnabled, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0);
        }

        /// <summary>A new secret (replacing an unconfirmed one); two-factor stays off until <see cref="ConfirmAsync"/>.</summary>
        public async Task<Enrolment> BeginAsync(OperatorId who, CancellationToken cancellationToken)
        {
            var user = await UserAsync(who);
            if (user.TwoFactorEnabled)
            {
                throw new ConflictException("Two-factor sign-in is on; turn it off first to enrol a new device.", "code");
            }

            OperatorRules.ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(user), "code");
            var secret = (await users.GetAuthenticatorKeyAsync(user))!;
            var issuer = options.Value.Auth.TwoFactorIssuer;
            var uri = "otpauth://totp/" + Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(user.UserName!)
                      + "?secret=" + secret + "&issuer=" + Uri.EscapeDataString(issuer) + "&digits=6&period=30";
            using var qr = QRCodeGenerator.GenerateQrCode(Encoding.UTF8.GetBytes(uri), QRCodeGenerator.ECCLevel.M);
            var svg = new SvgQRCode(qr).GetGraphic(4);
            return new Enrolment(FormatSecret(secret), uri, svg);
        }

        public async Task<RecoveryCodes> ConfirmAsync(OperatorId who, CodeRequest request, CancellationToken cancellationToken)
        {
            var user = await UserAsync(who);
            if (await users.GetAuthenticatorKeyAsync(user) is null)
            {
                throw new ConflictException("Start the enrolment first.", "code");
            }

            if (!await VerifyAsync(user, request.Code))
            {
                throw new FieldValidationException("code", "The code is not valid (check the device's clock).");
            }

            OperatorRules.ThrowIfFailed(await users.SetTwoFactorEnabledAsync(user, true), "code");
            return new RecoveryCodes([.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!]);
        }

        public async Task<RecoveryCodes> NewRecoveryCodesAsync(OperatorId who, CodeRequest request, CancellationToken cancellationToken)
        {
            var user = await EnabledAsync(who, request.Code);
            return new RecoveryCodes([.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!]);
        }

        public async Task DisableAsync(OperatorId who, CodeRequest request, CancellationToken cancellationToken)
        {
            var user = await EnabledAsync(who, request.Code);
            OperatorRules.ThrowIfFailed(await users.SetTwoFactorEnabledAsync(user, false), "code");
            OperatorRules.ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(user), "code");
        }

        /// <summary>An administrator turns two-factor off for someone who lost their device and their recovery codes.</summary>
        public async Task ResetAsync(Guid userId, CancellationToken cancellationToken)
        {
            var user = await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException("Operator", userId);
            OperatorRules.ThrowIfFailed(await users.SetTwoFactorEnabledAsync(user, false), "id");
            OperatorRules.ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(user), "id");
        }

        private async Task<StaffUser> EnabledAsync(OperatorId who, string code)
        {
            var user = await UserAsync(who);
            if (!user.TwoFactorEnabled)
            {
                throw new ConflictException("Two-factor sign-in is off.", "code");
            }

            return await VerifyAsync(user, code) ? user : throw new FieldValidationException("code", "The code is not valid.");
        }

        private Task<bool> VerifyAsync(StaffUser user, string code) =>
            users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Normalise(code));

        private async Task<StaffUser> UserAsync(OperatorId who) =>
            await users.FindByIdAsync(who.Value.ToString()) ?? throw new NotFoundException("Operator", who.Value);
    }

    public static string Normalise(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private static string FormatSecret(string secret)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < secret.Length; i += 4)
        {
            sb.Append(secret.AsSpan(i, Math.Min(4, secret.Length - i))).Append(' ');
        }

        return sb.ToString().TrimEnd();
    }
}

using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>
/// A staff member forgot the password: a one-time reset link goes to the account's e-mail. The answer
/// is the same whether or not the login exists or has an e-mail, so it reveals nothing.
/// </summary>
public static partial class RequestPasswordReset
{
    public sealed record Request(string Login, string? Locale);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Login).NotEmpty().MaximumLength(256);
    }

    public sealed class Handler(
        OmnichatDbContext db, UserManager<StaffUser> users, MailQueue queue, IOptions<MailOptions> options, ILogger<Handler> logger)
    {
        public async Task HandleAsync(Request request, CancellationToken cancellationToken)
        {
            var user = await users.FindByNameAsync(request.Login);
            var op = user is null ? null : await db.Operators.AsNoTracking().FirstOrDefaultAsync(o => o.Id == OperatorId.From(user.Id) && o.Enabled, cancellationToken);
            if (user?.Email is not { Length: > 0 } email || op is null)
            {
                LogIgnored(logger, request.Login);
                return;
            }

            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/account/reset-password?login={Uri.EscapeDataString(user.UserName!)}&token={Uri.EscapeDataString(token)}";
            var (subject, html, text) = MailTemplates.PasswordReset(request.Locale, op.DisplayName, link);
            queue.Enqueue(db, new MailDraft("password-reset", email, op.DisplayName, subject, html, text));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset asked for {Login}: no enabled account with an e-mail, nothing sent")]
    private static partial void LogIgnored(ILogger logger, string login);
}

/// <summary>Sets a new password with the token from the reset link; every earlier token and session stops working.</summary>
public static class ResetPassword
{
    public sealed record Request(string Login, string Token, string NewPassword);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Login).NotEmpty().MaximumLength(256);
            RuleFor(r => r.Token).NotEmpty().MaximumLength(2048);
            RuleFor(r => r.NewPassword).NotEmpty().MaximumLength(128);
        }
    }

    public sealed class Handler(UserManager<StaffUser> users, OmnichatDbContext db, TimeProvider time)
    {
        public async Task HandleAsync(Request request, CancellationToken cancellationToken)
        {
            var user = await users.FindByNameAsync(request.Login) ?? throw new FieldValidationException("token", "The reset link is invalid or has expired.");
            var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
            if (result.Errors.Any(e => e.Code == "InvalidToken"))
            {
                throw new FieldValidationException("token", "The reset link is invalid or has expired.");
            }

            OperatorRules.ThrowIfFailed(result, "newPassword");
            await users.ResetAccessFailedCountAsync(user);
            await users.SetLockoutEndDateAsync(user, null);
            // Whoever knew the old password is signed out everywhere.
            await ManageSessions.EndAllAsync(db, OperatorId.From(user.Id), time.GetUtcNow(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

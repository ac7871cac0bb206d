using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Audit;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>Thrown for any sign-in failure; the message never says whether the login exists.</summary>
public sealed class SignInFailedException(string message, bool lockedOut, bool twoFactorRequired = false) : OmnichatException(message)
{
    public bool LockedOut { get; } = lockedOut;

    /// <summary>Password right, the second factor missing: ask for the authenticator's code (or a recovery code).</summary>
    public bool TwoFactorRequired { get; } = twoFactorRequired;
}

/// <summary>
/// The one way staff sign in with a password (API token, browser): password policy and lockout, the second factor
/// when enrolled, a session row for "where am I signed in", and an audit record for every success and failure.
/// </summary>
public static partial class StaffSignIn
{
    public sealed record Attempt(string Login, string Password, string? TwoFactorCode, string? RecoveryCode, StaffSessionKind Kind, string? UserAgent,
        string? IpAddress);

    public sealed record Success(StaffUser User, StaffSession Session);

    public sealed class Handler(OmnichatDbContext db, SignInManager<StaffUser> signIn, IOptions<OmnichatOptions> options, TimeProvider time,
        ILogger<Handler> logger)
    {
        public async Task<Success> HandleAsync(Attempt attempt, CancellationToken cancellationToken)
        {
            var users = signIn.UserManager;
            var user = await users.FindByNameAsync(attempt.Login);
            if (user is null)
            {
                // Spend the same hashing time as a real check so response time does not reveal logins.
                users.PasswordHasher.VerifyHashedPassword(new StaffUser(), DummyHash.Value, attempt.Password);
                throw await FailAsync(attempt, null, "unknown login", "Wrong login or password.", cancellationToken);
            }

            var result = await signIn.CheckPasswordSignInAsync(user, attempt.Password, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                throw await FailAsync(attempt, user, "locked out", "Too many failed attempts: the account is locked for a while.", cancellationToken,
                    lockedOut: true);
            }

            var enabled = await db.Operators.Where(o => o.Id == OperatorId.From(user.Id)).Select(o => o.Enabled).FirstOrDefaultAsync(cancellationToken);
            if (!result.Succeeded || !enabled)
            {
                throw await FailAsync(attempt, user, result.Succeeded ? "disabled" : "wrong password", "Wrong login or password.", cancellationToken);
            }

            if (user.TwoFactorEnabled)
            {
                await SecondFactorAsync(attempt, user, cancellationToken);
            }

            return await StartAsync(user, attempt.Kind, attempt.UserAgent, attempt.IpAddress, "password", cancellationToken);
        }

        /// <summary>Starts a session for an account proven otherwise (single sign-on), audited like a password sign-in.</summary>
        public async Task<Success> StartAsync(StaffUser user, StaffSessionKind kind, string? userAgent, string? ipAddress, string method,
            CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var session = StaffSession.Start(OperatorId.From(user.Id), kind, userAgent, ipAddress, now + options.Value.Auth.AccessTokenLifetime, now);
            db.StaffSessions.Add(session);
            db.AuditRecords.Add(AuditRecord.Create(Actor.ForOperator(OperatorId.From(user.Id)), "auth.sign-in", "user", user.Id.ToString(), null, null,
                new { method, kind = kind.ToString(), ip = ipAddress, userAgent = session.UserAgent }, now));
            await db.SaveChangesAsync(cancellationToken);
            LogSignedIn(logger, user.UserName!, method);
            return new Success(user, session);
        }

        private async Task SecondFactorAsync(Attempt attempt, StaffUser user, CancellationToken cancellationToken)
        {
            var users = signIn.UserManager;
            if (attempt.TwoFactorCode is { Length: > 0 } code)
            {
                if (await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, TwoFactor.Normalise(code)))
                {
                    return;
                }
            }
            else if (attempt.RecoveryCode is { Length: > 0 } recovery)
            {
                if ((await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery.Trim())).Succeeded)
                {
                    return;
                }
            }
            else
            {
                throw new SignInFailedException("Enter the code from the authenticator app (or a recovery code).", lockedOut: false, twoFactorRequired: true);
            }

            // A wrong second factor counts towards the lockout like a wrong password.
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            throw await FailAsync(attempt, user, "wrong two-factor code", locked ? "Too many failed attempts: the account is locked for a while."
                : "The code is not valid.", cancellationToken, lockedOut: locked, twoFactorRequired: !locked);
        }

        private async Task<SignInFailedException> FailAsync(Attempt attempt, StaffUser? user, string reason, string message, CancellationToken cancellationToken,
            bool lockedOut = false, bool twoFactorRequired = false)
        {
            await RecordFailureAsync(user, attempt.Login, reason, new { kind = attempt.Kind.ToString(), ip = attempt.IpAddress, userAgent = attempt.UserAgent },
                cancellationToken, lockedOut);
            return new SignInFailedException(message, lockedOut, twoFactorRequired);
        }

        /// <summary>Logs and audits a refused sign-in (subject: the account, or the unknown login) — any method, password or single sign-on.</summary>
        public async Task RecordFailureAsync(StaffUser? user, string login, string reason, object details, CancellationToken cancellationToken,
            bool lockedOut = false)
        {
            LogFailed(logger, login, reason);
            var clipped = login.Length <= AuditRecord.MaxSubjectLength ? login : login[..AuditRecord.MaxSubjectLength];
            db.AuditRecords.Add(AuditRecord.Create(Actor.System, lockedOut ? "auth.locked-out" : "auth.sign-in-failed",
                user is null ? "login" : "user", user?.Id.ToString() ?? clipped, null, reason, new { login = clipped, details }, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Guid.NewGuid().ToString());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {Login}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Login} signed in ({Method})")]
    private static partial void LogSignedIn(ILogger logger, string login, string method);
}

using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>Exchanges a staff login and password for a bearer token; failures count towards lockout.</summary>
public static partial class IssueAccessToken
{
    public sealed record Request(string Login, string Password);

    public sealed record Response(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Login).NotEmpty().MaximumLength(256);
            RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
        }
    }

    /// <summary>Thrown for any sign-in failure; the message never says whether the login exists.</summary>
    public sealed class SignInFailedException(string message, bool lockedOut) : OmnichatException(message)
    {
        public bool LockedOut { get; } = lockedOut;
    }

    public sealed class Handler(
        OmnichatDbContext db,
        SignInManager<StaffUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearer,
        IOptions<OmnichatOptions> options,
        TimeProvider time,
        ILogger<Handler> logger)
    {
        public async Task<Response> HandleAsync(Request request, CancellationToken cancellationToken)
        {
            var user = await signIn.UserManager.FindByNameAsync(request.Login);
            if (user is null)
            {
                // Spend the same hashing time as a real check so response time does not reveal logins.
                signIn.UserManager.PasswordHasher.VerifyHashedPassword(new StaffUser(), DummyHash.Value, request.Password);
                LogFailed(logger, request.Login, "unknown login");
                throw new SignInFailedException("Wrong login or password.", lockedOut: false);
            }

            var result = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                LogFailed(logger, request.Login, "locked out");
                throw new SignInFailedException("Too many failed attempts: the account is locked for a while.", lockedOut: true);
            }

            var enabled = await db.Operators.Where(o => o.Id == OperatorId.From(user.Id)).Select(o => o.Enabled).FirstOrDefaultAsync(cancellationToken);
            if (!result.Succeeded || !enabled)
            {
                LogFailed(logger, request.Login, result.Succeeded ? "disabled" : "wrong password");
                throw new SignInFailedException("Wrong login or password.", lockedOut: false);
            }

            var principal = await signIn.CreateUserPrincipalAsync(user);
            var expiresAt = time.GetUtcNow() + options.Value.Auth.AccessTokenLifetime;
            var properties = new AuthenticationProperties { IssuedUtc = time.GetUtcNow(), ExpiresUtc = expiresAt };
            var ticket = new AuthenticationTicket(principal, properties, IdentityConstants.BearerScheme);
            var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
            LogIssued(logger, request.Login);
            return new Response(token, "Bearer", expiresAt);
        }
    }

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Guid.NewGuid().ToString());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {Login}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access token issued to {Login}")]
    private static partial void LogIssued(ILogger logger, string login);
}

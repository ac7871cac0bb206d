using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>Exchanges a staff login and password (and the second factor when enrolled) for a bearer token bound to a new session.</summary>
public static class IssueAccessToken
{
    public sealed record Request(string Login, string Password, string? TwoFactorCode = null, string? RecoveryCode = null);

    public sealed record Response(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, Guid SessionId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Login).NotEmpty().MaximumLength(256);
            RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
            RuleFor(r => r.TwoFactorCode).MaximumLength(32);
            RuleFor(r => r.RecoveryCode).MaximumLength(32);
        }
    }

    public sealed class Handler(StaffSignIn.Handler signIn, SignInManager<StaffUser> identity, IOptionsMonitor<BearerTokenOptions> bearer)
    {
        public async Task<Response> HandleAsync(Request request, string? userAgent, string? ipAddress, CancellationToken cancellationToken)
        {
            var (user, session) = await signIn.HandleAsync(
                new StaffSignIn.Attempt(request.Login, request.Password, request.TwoFactorCode, request.RecoveryCode, StaffSessionKind.Api, userAgent, ipAddress),
                cancellationToken);
            var principal = await identity.CreateUserPrincipalAsync(user);
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(StaffSession.Claim, session.Id.Value.ToString()));
            var properties = new AuthenticationProperties { IssuedUtc = session.CreatedAt, ExpiresUtc = session.ExpiresAt };
            var ticket = new AuthenticationTicket(principal, properties, IdentityConstants.BearerScheme);
            var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
            return new Response(token, "Bearer", session.ExpiresAt, session.Id.Value);
        }
    }
}

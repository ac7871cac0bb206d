using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Hosting;

/// <summary>
/// A staff cookie or bearer token is honoured only while its session is active: ending a session (sign-out, "sign out
/// everywhere", an administrator), disabling an account or resetting its password ends them and stops the token on
/// its next request (401). Role changes need no revocation: permissions are read afresh on every request. Then the caller's data boundary is installed on the request's
/// database context, so every query on conversations in the request is confined to it.
/// </summary>
public sealed class RevokedTokenMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, OmnichatDbContext db, TimeProvider time, IOptions<OmnichatOptions> options)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(StaffScope.ApiKeyClaim) is null && user.FindFirst(ClaimTypes.NameIdentifier) is not null
            && user.FindFirst(ClientPrincipalClaim) is null)
        {
            if (!await ActiveAsync(user, db, time, options.Value.Auth.AccessTokenLifetime, context.RequestAborted))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }

        if (context.User.FindFirst(StaffScope.ApiKeyClaim) is not null || context.User.FindFirst(StaffSession.Claim) is not null)
        {
            await StaffScope.ForAsync(db, context.User, context.RequestAborted);
        }

        await next(context);
    }

    /// <summary>Clients (widget, SDK) carry this claim; their tokens are checked by their own middleware.</summary>
    private const string ClientPrincipalClaim = ClientPrincipal.ClientIdClaim;

    private static async Task<bool> ActiveAsync(ClaimsPrincipal user, OmnichatDbContext db, TimeProvider time,
        TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirstValue(StaffSession.Claim), out var sid))
        {
            return false;
        }

        var session = await db.StaffSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == StaffSessionId.From(sid), cancellationToken);
        var now = time.GetUtcNow();
        if (session is null || !session.IsActive(now) || session.OperatorId.Value.ToString() != user.FindFirstValue(ClaimTypes.NameIdentifier))
        {
            return false;
        }

        if (now - session.LastSeenAt > StaffSession.TouchInterval)
        {
            // A browser session slides like its cookie; a token's session ends with the token.
            var slide = session.Kind == StaffSessionKind.Api ? session.ExpiresAt : now + lifetime;
            await db.StaffSessions.Where(s => s.Id == session.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, slide > session.ExpiresAt ? slide : session.ExpiresAt),
                    cancellationToken);
        }

        return true;
    }
}

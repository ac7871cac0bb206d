using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
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
        // Static files and anonymous endpoints never look at the caller: no database work for them.
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null)
        {
            await next(context);
            return;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(StaffScope.ApiKeyClaim) is null && user.FindFirst(ClaimTypes.NameIdentifier) is not null
            && user.FindFirst(ClientPrincipal.ClientIdClaim) is null // clients' tokens are checked by their own middleware
            && !await ActiveAsync(user, db, time, options.Value.Auth.AccessTokenLifetime, context.RequestAborted))
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        if (context.User.FindFirst(StaffScope.ApiKeyClaim) is not null || context.User.FindFirst(StaffSession.Claim) is not null)
        {
            await StaffScope.ForAsync(db, context.User, context.RequestAborted);
        }

        await next(context);
    }

    private static async Task<bool> ActiveAsync(ClaimsPrincipal user, OmnichatDbContext db, TimeProvider time, TimeSpan lifetime,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await StaffSession.FindActiveAsync(db, user, now, cancellationToken) is not { } session)
        {
            return false;
        }

        if (now - session.LastSeenAt > StaffSession.TouchInterval)
        {
            // A browser session slides like its cookie; a token's session ends with the token.
            var expires = session.Kind == StaffSessionKind.Api || now + lifetime < session.ExpiresAt ? session.ExpiresAt : now + lifetime;
            await db.StaffSessions.Where(s => s.Id == session.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, expires), cancellationToken);
        }

        return true;
    }
}

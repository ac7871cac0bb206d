using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Web.Shared;

/// <summary>
/// A Blazor circuit keeps the principal it started with; its sign-in may have ended since (signed out elsewhere,
/// "sign out everywhere", the account disabled). Pages that change things ask the database before every action.
/// </summary>
public static class StaffCircuit
{
    /// <summary>The staff member and their session, while the session is active and the account enabled; otherwise a <see cref="ForbiddenException"/>.</summary>
    public static async Task<(OperatorId Operator, Guid Session)> ActiveAsync(IServiceProvider sp, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var db = sp.GetRequiredService<OmnichatDbContext>();
        var time = sp.GetRequiredService<TimeProvider>();
        if (user.FindFirst(StaffScope.ApiKeyClaim) is not null || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !Guid.TryParse(user.FindFirstValue(StaffSession.Claim), out var sid))
        {
            throw new ForbiddenException("Sign in first.");
        }

        var session = await db.StaffSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == StaffSessionId.From(sid), cancellationToken);
        if (session is null || !session.IsActive(time.GetUtcNow()) || session.OperatorId.Value != id
            || !await db.Operators.AnyAsync(o => o.Id == OperatorId.From(id) && o.Enabled, cancellationToken))
        {
            throw new ForbiddenException("Your session has ended; sign in again.");
        }

        return (OperatorId.From(id), sid);
    }
}

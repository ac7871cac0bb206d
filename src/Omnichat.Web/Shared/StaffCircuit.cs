using System.Security.Claims;
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
        if (user.FindFirst(StaffScope.ApiKeyClaim) is not null || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !Guid.TryParse(user.FindFirstValue(StaffSession.Claim), out var sid))
        {
            throw new ForbiddenException("Sign in first.");
        }

        if (!await StaffSession.ActiveAsync(sp.GetRequiredService<OmnichatDbContext>(), user, sp.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken))
        {
            throw new ForbiddenException("Your session has ended; sign in again.");
        }

        return (OperatorId.From(id), sid);
    }
}

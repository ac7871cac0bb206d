using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>The routing rules in evaluation order.</summary>
public static class ListRoutingRules
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<RoutingRuleView>> HandleAsync(CancellationToken cancellationToken) =>
            (await db.RoutingRules.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(r => r.Position).ThenBy(r => r.Id.Value).Select(RoutingRuleView.From).ToList();
    }
}

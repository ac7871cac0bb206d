using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>
/// Checks the routing invariants against the database (used by the concurrency tests and the routing
/// benchmark): every operator's load equals what they hold and stays within capacity, no conversation is
/// both assigned and offered or assigned without an operator, and nothing waits beside a free eligible operator.
/// </summary>
public static class RoutingAudit
{
    /// <summary>Broken load/holding rules, one line each (empty when all hold).</summary>
    public static async Task<List<string>> LoadViolationsAsync(OmnichatDbContext db, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        var held = await db.Conversations.AsNoTracking()
            .Where(c => (c.Status == ConversationStatus.Assigned && c.OperatorId != null) || (c.Status == ConversationStatus.Queued && c.OfferedOperatorId != null))
            .GroupBy(c => c.OperatorId ?? c.OfferedOperatorId)
            .Select(g => new { Operator = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byOperator = held.ToDictionary(h => h.Operator!.Value, h => h.Count);
        foreach (var op in await db.Operators.AsNoTracking().ToListAsync(cancellationToken))
        {
            var count = byOperator.GetValueOrDefault(op.Id);
            if (op.Load != count)
            {
                violations.Add($"{op.Login}: load {op.Load}, holds {count}");
            }

            if (count > op.Capacity)
            {
                violations.Add($"{op.Login}: holds {count} over capacity {op.Capacity}");
            }
        }

        if (await db.Conversations.AnyAsync(c => c.Status == ConversationStatus.Assigned && c.OperatorId == null, cancellationToken))
        {
            violations.Add("an assigned conversation without an operator");
        }

        if (await db.Conversations.AnyAsync(c => c.OperatorId != null && c.OfferedOperatorId != null, cancellationToken))
        {
            violations.Add("a conversation both assigned and offered");
        }

        return violations;
    }

    /// <summary>What the matcher would still give to someone now: empty once routing has settled.</summary>
    public static async Task<IReadOnlyList<RoutingMatch>> UnservedAsync(OmnichatDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policies = (await RoutingPolicies.LoadAsync(db, cancellationToken)).ToDictionary(p => p.Key, p => p.Value.Policy);
        var queue = await db.Conversations.AsNoTracking()
            .Where(c => c.Status == ConversationStatus.Queued && c.OfferedOperatorId == null && c.SkillGroupId != null)
            .Select(c => new QueuedItem(c.Id, c.SkillGroupId!.Value, c.Priority, c.QueuedAt!.Value, c.OverflowedAt != null, null, null))
            .ToListAsync(cancellationToken);
        var operators = await db.Operators.AsNoTracking().Include(o => o.SkillGroups).ToListAsync(cancellationToken);
        var candidates = operators.Where(o => o.CanTakeWork(now)).Select(o => new Candidate(o.Id, o.Load, o.Capacity, o.IdleSince, o.LastAssignedAt,
            o.SkillGroups.ToDictionary(m => m.SkillGroupId, m => new CandidateMembership(m.Level, m.LastAssignedAt)))).ToList();
        return RoutingMatcher.Match(queue, candidates, policies, now);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>
/// Applies <see cref="RoutingMatcher"/> to the database. Every offer or assignment commits in its own
/// transaction together with the operator's load, under optimistic concurrency on both rows: if
/// another router, node or request changed either in the meantime, nothing is written and the pass
/// starts again from fresh data. So a conversation is never given to two operators and no operator
/// goes over capacity, however many routers run at once.
/// </summary>
public sealed partial class RoutingEngine(OmnichatDbContext db, TimeProvider time, ILogger<RoutingEngine> logger)
{
    private const int MaxPasses = 10;
    private const int PageSize = 500;

    /// <summary>Routes the queues that <paramref name="groups"/> can serve (all queues when null); returns the number of offers and assignments made.</summary>
    public async Task<int> RouteAsync(IReadOnlyCollection<SkillGroupId>? groups, CancellationToken cancellationToken)
    {
        var total = 0;
        for (var pass = 1; pass <= MaxPasses; pass++)
        {
            var (made, stale) = await PassAsync(groups, cancellationToken);
            total += made;
            if (!stale)
            {
                return total;
            }

            LogRetry(logger, pass);
        }

        return total; // still contended: the next event or the periodic sweep continues
    }

    private async Task<(int Made, bool Stale)> PassAsync(IReadOnlyCollection<SkillGroupId>? groups, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow();
        var policies = await RoutingPolicies.LoadAsync(db, cancellationToken);
        var queueGroups = policies.Values
            .Where(p => p.Policy.Strategy != RoutingStrategy.Manual)
            .Where(p => groups is null || groups.Contains(p.Policy.Id) || p.Policy.BackupGroups.Any(groups.Contains))
            .Select(p => p.Policy.Id).ToList();
        if (queueGroups.Count == 0)
        {
            return (0, false);
        }

        var memberGroups = queueGroups.Concat(queueGroups.SelectMany(g => policies[g].Policy.BackupGroups)).Distinct().ToList();
        var candidates = await LoadCandidatesAsync(memberGroups, now, cancellationToken);
        if (candidates.Count == 0)
        {
            return (0, false);
        }

        var spare = candidates.Sum(c => c.Capacity - c.Load);
        var made = 0;
        var skip = 0;
        var groupPolicies = policies.ToDictionary(p => p.Key, p => p.Value.Policy);
        while (spare > 0)
        {
            var page = await db.Conversations.AsNoTracking()
                .Where(c => c.Status == ConversationStatus.Queued && c.OfferedOperatorId == null && c.SkillGroupId != null
                            && queueGroups.Contains(c.SkillGroupId.Value))
                .OrderByDescending(c => c.Priority).ThenBy(c => c.QueuedAt).ThenBy(c => c.Id)
                .Skip(skip).Take(PageSize)
                .Select(c => new QueuedItem(c.Id, c.SkillGroupId!.Value, c.Priority, c.QueuedAt!.Value, c.OverflowedAt != null,
                    c.PreferredOperatorId, c.LastMissedOperatorId))
                .ToListAsync(cancellationToken);
            var matches = RoutingMatcher.Match(page, candidates, groupPolicies, now);
            foreach (var match in matches)
            {
                if (!await CommitAsync(match, policies, now, cancellationToken))
                {
                    return (made, true);
                }

                made++;
                spare--;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            skip += page.Count - matches.Count;
            candidates = await LoadCandidatesAsync(memberGroups, now, cancellationToken);
            spare = candidates.Sum(c => c.Capacity - c.Load);
        }

        return (made, false);
    }

    private async Task<List<Candidate>> LoadCandidatesAsync(List<SkillGroupId> memberGroups, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Operators.AsNoTracking()
            .Where(o => o.Enabled && o.Status == OperatorStatus.Ready && o.Load < o.Capacity
                        && (o.WrapUpUntil == null || o.WrapUpUntil <= now)
                        && o.SkillGroups.Any(m => memberGroups.Contains(m.SkillGroupId)))
            .Select(o => new
            {
                o.Id, o.Load, o.Capacity, o.IdleSince, o.LastAssignedAt,
                Memberships = o.SkillGroups.Select(m => new { m.SkillGroupId, m.Level, m.LastAssignedAt }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(o => new Candidate(o.Id, o.Load, o.Capacity, o.IdleSince, o.LastAssignedAt,
            o.Memberships.ToDictionary(m => m.SkillGroupId, m => new CandidateMembership(m.Level, m.LastAssignedAt)))).ToList();
    }

    // One offer/assignment = one transaction over the conversation and the operator rows (both versioned).
    private async Task<bool> CommitAsync(RoutingMatch match, Dictionary<SkillGroupId, RoutingPolicy> policies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == match.ConversationId, cancellationToken);
        var op = await db.Operators.Include(o => o.SkillGroups.Where(m => m.SkillGroupId == match.ViaGroup))
            .FirstOrDefaultAsync(o => o.Id == match.OperatorId, cancellationToken);
        if (conversation is not { Status: ConversationStatus.Queued, OfferedOperatorId: null, SkillGroupId: { } group }
            || op is null || !op.CanTakeWork(now) || op.SkillGroups.Count == 0)
        {
            return false; // the snapshot is stale: start a fresh pass
        }

        op.Reserve(now);
        op.SkillGroups[0].LastAssignedAt = now;
        var policy = policies.TryGetValue(group, out var p) ? p : RoutingPolicy.Default(group);
        if (policy.AutoAccept)
        {
            conversation.Assign(op.Id, Actor.System, now);
        }
        else
        {
            conversation.Offer(op.Id, now.AddSeconds(policy.OfferTimeoutSeconds), now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        LogRouted(logger, conversation.Id, op.Id, policy.AutoAccept ? "assigned" : "offered");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} {Outcome} to operator {OperatorId}")]
    private static partial void LogRouted(ILogger logger, ConversationId conversationId, OperatorId operatorId, string outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Routing pass {Pass} met a concurrent change; starting again from fresh data")]
    private static partial void LogRetry(ILogger logger, int pass);
}

/// <summary>A group's routing settings as the engine and timers use them.</summary>
public sealed record RoutingPolicy(GroupPolicy Policy, bool AutoAccept, int OfferTimeoutSeconds, bool MissedOfferSetsNotReady, int WrapUpSeconds)
{
    public static RoutingPolicy Default(SkillGroupId id) => new(new GroupPolicy(id, RoutingStrategy.LeastBusy, 1, []), true, 30, false, 0);
}

public static class RoutingPolicies
{
    public static async Task<Dictionary<SkillGroupId, RoutingPolicy>> LoadAsync(OmnichatDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.SkillGroups.AsNoTracking()
            .Select(g => new
            {
                g.Id, g.Strategy, g.MinSkillLevel, g.AutoAccept, g.OfferTimeoutSeconds, g.MissedOfferSetsNotReady, g.WrapUpSeconds,
                Backups = g.Backups.OrderBy(b => b.Position).Select(b => b.BackupGroupId).ToList(),
            })
            .ToListAsync(cancellationToken);
        return groups.ToDictionary(g => g.Id, g => new RoutingPolicy(
            new GroupPolicy(g.Id, g.Strategy, g.MinSkillLevel, g.Backups), g.AutoAccept, g.OfferTimeoutSeconds, g.MissedOfferSetsNotReady, g.WrapUpSeconds));
    }
}

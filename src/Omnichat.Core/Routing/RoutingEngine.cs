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
public sealed partial class RoutingEngine(OmnichatDbContext db, RoutingPolicyCache policyCache, TimeProvider time, ILogger<RoutingEngine> logger)
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
        var policies = await policyCache.GetAsync(db, cancellationToken);
        var queueGroups = policies.Values
            .Where(p => p.Policy.Strategy != RoutingStrategy.Manual)
            .Where(p => groups is null || groups.Contains(p.Policy.Id) || p.Policy.BackupGroups.Any(groups.Contains))
            .Select(p => p.Policy.Id).ToList();
        if (queueGroups.Count == 0)
        {
            return (0, false);
        }

        var memberGroups = queueGroups.Concat(queueGroups.SelectMany(g => policies[g].Policy.BackupGroups)).Distinct().ToList();
        var (operators, candidates) = await LoadCandidatesAsync(memberGroups, now, cancellationToken);
        if (candidates.Count == 0)
        {
            return (0, false);
        }

        var spare = candidates.Sum(c => c.Capacity - c.Load);
        var made = 0;
        var skip = 0;
        var groupPolicies = policies.ToDictionary(p => p.Key, p => p.Value.Policy);
        // Only queues the free operators can serve: fully (a member at the group's level) or, for
        // overflowed conversations only, through a lower level or a backup group.
        var (full, overflowOnly) = Servable(queueGroups, candidates, groupPolicies);
        if (full.Count + overflowOnly.Count == 0)
        {
            return (0, false);
        }

        var take = Math.Min(PageSize, (spare * 4) + 16);
        while (spare > 0)
        {
            // Read once, untracked; a chosen conversation and operator are attached at commit time (their
            // versions as read are the concurrency check), so nothing is read twice and the tracker stays small.
            var page = await db.Conversations.AsNoTracking()
                .Where(c => c.Status == ConversationStatus.Queued && c.OfferedOperatorId == null && c.SkillGroupId != null
                            && (full.Contains(c.SkillGroupId.Value) || (c.OverflowedAt != null && overflowOnly.Contains(c.SkillGroupId.Value))))
                .OrderByDescending(c => c.Priority).ThenBy(c => c.QueuedAt).ThenBy(c => c.Id)
                .Skip(skip).Take(take)
                .ToListAsync(cancellationToken);
            var byId = page.ToDictionary(c => c.Id);
            var items = page.Select(c => new QueuedItem(c.Id, c.SkillGroupId!.Value, c.Priority, c.QueuedAt!.Value, c.OverflowedAt != null,
                c.PreferredOperatorId, c.LastMissedOperatorId)).ToList();
            var matches = RoutingMatcher.Match(items, candidates, groupPolicies, now);
            foreach (var match in matches)
            {
                if (!await CommitAsync(byId[match.ConversationId], operators[match.OperatorId], match.ViaGroup, policies, now, cancellationToken))
                {
                    return (made, true);
                }

                made++;
                spare--;
            }

            if (page.Count < take || spare <= 0)
            {
                break; // the queue is exhausted, or every free slot is taken
            }

            skip += page.Count - matches.Count;
            (operators, candidates) = await LoadCandidatesAsync(memberGroups, now, cancellationToken);
            spare = candidates.Sum(c => c.Capacity - c.Load);
            // Nobody on this page could be served (levels, missed offers): read further ahead faster.
            take = matches.Count == 0 ? Math.Min(PageSize, take * 4) : Math.Min(PageSize, (spare * 4) + 16);
        }

        return (made, false);
    }

    private static (List<SkillGroupId> Full, List<SkillGroupId> OverflowOnly) Servable(
        List<SkillGroupId> queueGroups, List<Candidate> candidates, Dictionary<SkillGroupId, GroupPolicy> policies)
    {
        var full = new List<SkillGroupId>();
        var overflowOnly = new List<SkillGroupId>();
        foreach (var g in queueGroups)
        {
            var policy = policies[g];
            if (candidates.Exists(c => c.Memberships.TryGetValue(g, out var m) && m.Level >= policy.MinSkillLevel))
            {
                full.Add(g);
            }
            else if (candidates.Exists(c => c.Memberships.ContainsKey(g) || policy.BackupGroups.Any(c.Memberships.ContainsKey)))
            {
                overflowOnly.Add(g);
            }
        }

        return (full, overflowOnly);
    }

    private async Task<(Dictionary<OperatorId, Operator> Operators, List<Candidate> Candidates)> LoadCandidatesAsync(
        List<SkillGroupId> memberGroups, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var operators = await db.Operators.AsNoTracking().Include(o => o.SkillGroups)
            .Where(o => o.Enabled && o.Status == OperatorStatus.Ready && o.Load < o.Capacity
                        && (o.WrapUpUntil == null || o.WrapUpUntil <= now)
                        && o.SkillGroups.Any(m => memberGroups.Contains(m.SkillGroupId)))
            .ToListAsync(cancellationToken);
        var candidates = operators.Where(o => o.CanTakeWork(now)).Select(o => new Candidate(o.Id, o.Load, o.Capacity, o.IdleSince, o.LastAssignedAt,
            o.SkillGroups.ToDictionary(m => m.SkillGroupId, m => new CandidateMembership(m.Level, m.LastAssignedAt)))).ToList();
        return (operators.ToDictionary(o => o.Id), candidates);
    }

    // One offer/assignment = one transaction over the conversation and the operator rows (both versioned):
    // if either changed since it was read, nothing is written and the pass starts again.
    private async Task<bool> CommitAsync(Conversation conversation, Operator op, SkillGroupId via, Dictionary<SkillGroupId, RoutingPolicy> policies,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (conversation is not { Status: ConversationStatus.Queued, OfferedOperatorId: null, SkillGroupId: { } group } || !op.CanTakeWork(now))
        {
            return false;
        }

        db.ChangeTracker.Clear();
        db.Attach(op);
        db.Attach(conversation);

        op.Reserve(now);
        op.SkillGroups.First(m => m.SkillGroupId == via).LastAssignedAt = now;
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
        finally
        {
            db.ChangeTracker.Clear();
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

/// <summary>
/// The groups' routing settings, read at most once a second per node (every routing pass needs them;
/// they change rarely). A change saved on this node takes effect at once; on other nodes within a second.
/// </summary>
public sealed class RoutingPolicyCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(Dictionary<SkillGroupId, RoutingPolicy> Policies, DateTimeOffset ReadAt);

    public async Task<Dictionary<SkillGroupId, RoutingPolicy>> GetAsync(OmnichatDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } s && now - s.ReadAt < Lifetime)
        {
            return s.Policies;
        }

        var fresh = await RoutingPolicies.LoadAsync(db, cancellationToken);
        _snapshot = new Snapshot(fresh, now);
        return fresh;
    }

    /// <summary>Forgets the cached settings (a group was created or changed on this node).</summary>
    public void Invalidate() => _snapshot = null;
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

using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>The routing facts of one skill group that the decision needs.</summary>
public sealed record GroupPolicy(SkillGroupId Id, RoutingStrategy Strategy, int MinSkillLevel, IReadOnlyList<SkillGroupId> BackupGroups);

/// <summary>A conversation waiting in a queue (without a pending offer).</summary>
public sealed record QueuedItem(
    ConversationId Id, SkillGroupId Group, int Priority, DateTimeOffset QueuedAt, bool Overflowed, OperatorId? Preferred, OperatorId? Excluded);

/// <summary>An operator who may take work now (ready, not in wrap-up), with their memberships.</summary>
public sealed record Candidate(
    OperatorId Id, int Load, int Capacity, DateTimeOffset? IdleSince, DateTimeOffset? LastAssignedAt,
    IReadOnlyDictionary<SkillGroupId, CandidateMembership> Memberships);

public sealed record CandidateMembership(int Level, DateTimeOffset? LastAssignedAt);

public readonly record struct RoutingMatch(ConversationId ConversationId, OperatorId OperatorId, SkillGroupId ViaGroup);

/// <summary>
/// The routing decision, free of I/O so it can be tested exhaustively (PRODUCT R1–R4):
/// conversations are served in queue order (priority, then waiting time); each goes to the best
/// eligible operator with spare capacity. Eligible: a member of the conversation's group at or above
/// the group's minimum level — or, once the conversation overflowed, any member of the group or of its
/// backup groups. Best: the returning client's last operator if eligible; then own group before
/// backups; then higher skill level; then the group's strategy (least-busy: fewest conversations, ties to
/// the longest idle); then the operator id (deterministic).
/// Manual-pick groups are never routed automatically.
/// </summary>
public static class RoutingMatcher
{
    public static IReadOnlyList<RoutingMatch> Match(
        IEnumerable<QueuedItem> queue, IEnumerable<Candidate> operators, IReadOnlyDictionary<SkillGroupId, GroupPolicy> groups, DateTimeOffset now)
    {
        var pool = operators.Select(o => new State(o)).ToList();
        var matches = new List<RoutingMatch>();
        var spare = pool.Sum(o => Math.Max(0, o.Capacity - o.Load));
        foreach (var item in Ordered(queue))
        {
            if (spare == 0)
            {
                break;
            }

            if (!groups.TryGetValue(item.Group, out var policy) || policy.Strategy == RoutingStrategy.Manual)
            {
                continue;
            }

            var best = Best(item, policy, pool, groups);
            if (best is null)
            {
                continue;
            }

            var (chosen, via) = best.Value;
            chosen.Take(via, now);
            spare--;
            matches.Add(new RoutingMatch(item.Id, chosen.Id, via));
        }

        return matches;
    }

    /// <summary>Queue order: higher priority first, then longer waiting, then id.</summary>
    public static IEnumerable<QueuedItem> Ordered(IEnumerable<QueuedItem> queue) =>
        queue.OrderByDescending(q => q.Priority).ThenBy(q => q.QueuedAt).ThenBy(q => q.Id.Value);

    /// <summary>The group through which <paramref name="membershipsOf"/> makes an operator eligible for the item, and the tier (0 own group, 1 backup).</summary>
    public static (SkillGroupId Group, int Tier, int Level)? Eligibility(
        QueuedItem item, GroupPolicy policy, IReadOnlyDictionary<SkillGroupId, CandidateMembership> membershipsOf)
    {
        if (membershipsOf.TryGetValue(item.Group, out var own) && (item.Overflowed || own.Level >= policy.MinSkillLevel))
        {
            return (item.Group, 0, own.Level);
        }

        if (!item.Overflowed)
        {
            return null;
        }

        for (var i = 0; i < policy.BackupGroups.Count; i++)
        {
            if (membershipsOf.TryGetValue(policy.BackupGroups[i], out var backup))
            {
                return (policy.BackupGroups[i], 1 + i, backup.Level);
            }
        }

        return null;
    }

    private static (State, SkillGroupId)? Best(QueuedItem item, GroupPolicy policy, List<State> pool, IReadOnlyDictionary<SkillGroupId, GroupPolicy> groups)
    {
        State? best = null;
        (SkillGroupId Group, int Tier, int Level) bestVia = default;
        foreach (var candidate in pool)
        {
            if (candidate.Load >= candidate.Capacity || candidate.Id == item.Excluded)
            {
                continue;
            }

            if (Eligibility(item, policy, candidate.Memberships) is not { } via)
            {
                continue;
            }

            if (best is null || Better(item, candidate, via, best, bestVia, groups) < 0)
            {
                best = candidate;
                bestVia = via;
            }
        }

        if (best is null && item.Excluded is { } excluded)
        {
            // The operator who missed it is the only one who can take it: better them than nobody.
            var again = pool.Find(o => o.Id == excluded && o.Load < o.Capacity);
            if (again is not null && Eligibility(item, policy, again.Memberships) is { } via)
            {
                return (again, via.Group);
            }
        }

        return best is null ? null : (best, bestVia.Group);
    }

    private static int Better(
        QueuedItem item, State a, (SkillGroupId Group, int Tier, int Level) viaA, State b, (SkillGroupId Group, int Tier, int Level) viaB,
        IReadOnlyDictionary<SkillGroupId, GroupPolicy> groups)
    {
        var preferred = (b.Id == item.Preferred).CompareTo(a.Id == item.Preferred);
        if (preferred != 0)
        {
            return preferred;
        }

        var tier = viaA.Tier.CompareTo(viaB.Tier);
        if (tier != 0)
        {
            return tier;
        }

        var level = viaB.Level.CompareTo(viaA.Level);
        if (level != 0)
        {
            return level;
        }

        var strategy = groups.TryGetValue(viaA.Group, out var p) ? p.Strategy : RoutingStrategy.LeastBusy;
        var byStrategy = strategy switch
        {
            RoutingStrategy.LongestIdle => Compare(
                (OlderFirst(a.IdleSince, b.IdleSince, nullLast: true), a.Load.CompareTo(b.Load), OlderFirst(a.LastAssignedAt, b.LastAssignedAt, nullLast: false))),
            RoutingStrategy.RoundRobin => Compare(
                (OlderFirst(a.Memberships[viaA.Group].LastAssignedAt, b.Memberships[viaB.Group].LastAssignedAt, nullLast: false), 0, 0)),
            _ => Compare((a.Load.CompareTo(b.Load), OlderFirst(a.IdleSince, b.IdleSince, nullLast: true), OlderFirst(a.LastAssignedAt, b.LastAssignedAt, nullLast: false))),
        };
        return byStrategy != 0 ? byStrategy : a.Id.Value.CompareTo(b.Id.Value);
    }

    private static int Compare((int First, int Second, int Third) keys) =>
        keys.First != 0 ? keys.First : keys.Second != 0 ? keys.Second : keys.Third;

    // Earlier timestamps first; a null timestamp means "never" (first) or "not idle" (last).
    private static int OlderFirst(DateTimeOffset? a, DateTimeOffset? b, bool nullLast) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => nullLast ? 1 : -1,
        (_, null) => nullLast ? -1 : 1,
        _ => a.Value.CompareTo(b.Value),
    };

    private sealed class State(Candidate c)
    {
        private readonly Dictionary<SkillGroupId, CandidateMembership> _memberships = new(c.Memberships);

        public OperatorId Id { get; } = c.Id;

        public int Load { get; private set; } = c.Load;

        public int Capacity { get; } = c.Capacity;

        public DateTimeOffset? IdleSince { get; private set; } = c.IdleSince;

        public DateTimeOffset? LastAssignedAt { get; private set; } = c.LastAssignedAt;

        public Dictionary<SkillGroupId, CandidateMembership> Memberships => _memberships;

        public void Take(SkillGroupId via, DateTimeOffset now)
        {
            Load++;
            IdleSince = null;
            LastAssignedAt = now;
            _memberships[via] = _memberships[via] with { LastAssignedAt = now };
        }
    }
}

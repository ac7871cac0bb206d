using CsCheck;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Tests.Routing;

/// <summary>The routing decision: invariants over random inputs (CsCheck) and every strategy by example.</summary>
public sealed class RoutingMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static readonly SkillGroupId[] GroupIds = Enumerable.Range(1, 4).Select(i => SkillGroupId.From(new Guid(i, 0, 0, new byte[8]))).ToArray();
    private static readonly OperatorId[] OperatorIds = Enumerable.Range(1, 8).Select(i => OperatorId.From(new Guid(0, (short)i, 0, new byte[8]))).ToArray();

    private sealed record Scenario(Dictionary<SkillGroupId, GroupPolicy> Groups, List<Candidate> Operators, List<QueuedItem> Queue);

    private static Gen<Scenario> ScenarioGen { get; } =
        Gen.Select(Gen.Int[1, 4], Gen.Int[0, 8], Gen.Int[0, 20], Gen.Int[0, int.MaxValue]).Select(t => Generate(t.Item1, t.Item2, t.Item3, t.Item4));

    // A scenario from a seed: small, dense and full of edge cases (full operators, levels, overflow, missed offers).
    private static Scenario Generate(int groupCount, int operatorCount, int queueCount, int seed)
    {
        var random = new Random(seed);
        DateTimeOffset? Time() => random.Next(3) == 0 ? null : Now.AddSeconds(-random.Next(3600));
        var groups = new Dictionary<SkillGroupId, GroupPolicy>();
        for (var g = 0; g < groupCount; g++)
        {
            var backups = GroupIds.Take(groupCount).Where((_, i) => i != g && random.Next(2) == 0).ToList();
            groups[GroupIds[g]] = new GroupPolicy(GroupIds[g], (RoutingStrategy)random.Next(4), random.Next(1, 7), backups);
        }

        var operators = new List<Candidate>();
        for (var o = 0; o < operatorCount; o++)
        {
            var capacity = random.Next(1, 5);
            var memberships = GroupIds.Take(groupCount).Where(_ => random.Next(2) == 0)
                .ToDictionary(g => g, _ => new CandidateMembership(random.Next(1, 11), Time()));
            operators.Add(new Candidate(OperatorIds[o], random.Next(0, capacity + 1), capacity, Time(), Time(), memberships));
        }

        var queue = new List<QueuedItem>();
        for (var q = 0; q < queueCount; q++)
        {
            queue.Add(new QueuedItem(ConversationId.New(), GroupIds[random.Next(groupCount)], random.Next(3), Now.AddSeconds(-random.Next(600)),
                random.Next(2) == 0, random.Next(3) == 0 && operatorCount > 0 ? OperatorIds[random.Next(operatorCount)] : null,
                random.Next(4) == 0 && operatorCount > 0 ? OperatorIds[random.Next(operatorCount)] : null));
        }

        return new Scenario(groups, operators, queue);
    }

    [Fact]
    public void Never_assigns_a_conversation_twice_nor_overfills_an_operator_nor_leaves_work_beside_a_free_eligible_operator()
    {
        ScenarioGen.Sample(s =>
        {
            var matches = RoutingMatcher.Match(s.Queue, s.Operators, s.Groups, Now);

            // 1. Each conversation at most once.
            Assert.Equal(matches.Count, matches.Select(m => m.ConversationId).Distinct().Count());

            // 2. Nobody over capacity.
            var load = s.Operators.ToDictionary(o => o.Id, o => o.Load);
            foreach (var m in matches)
            {
                load[m.OperatorId]++;
            }

            Assert.All(s.Operators, o => Assert.True(load[o.Id] <= Math.Max(o.Capacity, o.Load), $"{o.Id} over capacity"));

            // 3. Every match is eligible, and never from a manual group.
            foreach (var m in matches)
            {
                var item = s.Queue.Single(q => q.Id == m.ConversationId);
                var policy = s.Groups[item.Group];
                Assert.NotEqual(RoutingStrategy.Manual, policy.Strategy);
                var op = s.Operators.Single(o => o.Id == m.OperatorId);
                var via = RoutingMatcher.Eligibility(item, policy, op.Memberships);
                Assert.NotNull(via);
                Assert.Equal(via.Value.Group, m.ViaGroup);
            }

            // 4. Maximal: no unmatched routable conversation has an eligible operator with room left.
            var matched = matches.Select(m => m.ConversationId).ToHashSet();
            foreach (var item in s.Queue.Where(q => !matched.Contains(q.Id) && s.Groups[q.Group].Strategy != RoutingStrategy.Manual))
            {
                var free = s.Operators.Where(o => load[o.Id] < o.Capacity && RoutingMatcher.Eligibility(item, s.Groups[item.Group], o.Memberships) is not null);
                Assert.Empty(free);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Serves_one_groups_queue_in_order_priority_first_then_waiting_time()
    {
        ScenarioGen.Sample(s =>
        {
            // One group, everyone level 10 and eligible: the matched set is a prefix of the queue order.
            var group = GroupIds[0];
            var groups = new Dictionary<SkillGroupId, GroupPolicy> { [group] = new(group, RoutingStrategy.LeastBusy, 1, []) };
            var queue = s.Queue.Select(q => q with { Group = group, Excluded = null }).ToList();
            var operators = s.Operators.Select(o => o with
            {
                Memberships = new Dictionary<SkillGroupId, CandidateMembership> { [group] = new(10, null) },
            }).ToList();
            var matches = RoutingMatcher.Match(queue, operators, groups, Now);
            var ordered = RoutingMatcher.Ordered(queue).Select(q => q.Id).ToList();
            Assert.Equal(ordered.Take(matches.Count), matches.Select(m => m.ConversationId));
        }, iter: 1000);
    }

    [Fact]
    public void A_free_preferred_operator_always_gets_the_returning_clients_conversation()
    {
        ScenarioGen.Sample(s =>
        {
            var first = RoutingMatcher.Ordered(s.Queue).FirstOrDefault(q => s.Groups[q.Group].Strategy != RoutingStrategy.Manual && q.Preferred is not null);
            if (first is null)
            {
                return;
            }

            // Only this conversation: if its preferred operator is eligible and has room, they get it.
            var op = s.Operators.Single(o => o.Id == first.Preferred);
            var eligible = op.Load < op.Capacity && op.Id != first.Excluded && RoutingMatcher.Eligibility(first, s.Groups[first.Group], op.Memberships) is not null;
            var matches = RoutingMatcher.Match([first], s.Operators, s.Groups, Now);
            if (eligible)
            {
                Assert.Equal(op.Id, Assert.Single(matches).OperatorId);
            }
        }, iter: 2000);
    }

    private static readonly SkillGroupId G = GroupIds[0];
    private static readonly SkillGroupId Backup = GroupIds[1];

    private static Candidate Op(int index, int load = 0, int capacity = 3, int level = 5, DateTimeOffset? idle = null, DateTimeOffset? last = null,
        DateTimeOffset? groupLast = null, SkillGroupId? group = null) =>
        new(OperatorIds[index], load, capacity, idle, last,
            new Dictionary<SkillGroupId, CandidateMembership> { [group ?? G] = new(level, groupLast) });

    private static QueuedItem Item(int waitSeconds = 60, bool overflowed = false, OperatorId? preferred = null, OperatorId? excluded = null) =>
        new(ConversationId.New(), G, 0, Now.AddSeconds(-waitSeconds), overflowed, preferred, excluded);

    private static Dictionary<SkillGroupId, GroupPolicy> Policy(RoutingStrategy strategy, int minLevel = 1) => new()
    {
        [G] = new GroupPolicy(G, strategy, minLevel, [Backup]),
        [Backup] = new GroupPolicy(Backup, RoutingStrategy.LeastBusy, 1, []),
    };

    private static OperatorId One(IEnumerable<Candidate> operators, RoutingStrategy strategy, QueuedItem? item = null, int minLevel = 1) =>
        Assert.Single(RoutingMatcher.Match([item ?? Item()], operators, Policy(strategy, minLevel), Now)).OperatorId;

    [Fact]
    public void Least_busy_takes_the_operator_with_fewest_conversations_and_breaks_ties_by_longest_idle()
    {
        Assert.Equal(OperatorIds[1], One([Op(0, load: 2), Op(1, load: 1), Op(2, load: 2)], RoutingStrategy.LeastBusy));
        Assert.Equal(OperatorIds[2], One([Op(0, idle: Now.AddMinutes(-1)), Op(2, idle: Now.AddMinutes(-9)), Op(1, idle: Now.AddMinutes(-5))], RoutingStrategy.LeastBusy));
    }

    [Fact]
    public void Longest_idle_prefers_idle_operators_by_idle_time()
    {
        Assert.Equal(OperatorIds[1], One([Op(0, load: 0, idle: Now.AddMinutes(-2)), Op(1, load: 0, idle: Now.AddMinutes(-20)), Op(2, load: 1)], RoutingStrategy.LongestIdle));
        // Nobody idle: the least busy.
        Assert.Equal(OperatorIds[2], One([Op(0, load: 2), Op(2, load: 1)], RoutingStrategy.LongestIdle));
    }

    [Fact]
    public void Round_robin_cycles_through_members_by_their_last_conversation_from_this_group()
    {
        var operators = new[] { Op(0, groupLast: Now.AddMinutes(-1)), Op(1, groupLast: Now.AddMinutes(-3)), Op(2, groupLast: Now.AddMinutes(-2)) };
        var queue = Enumerable.Range(0, 3).Select(i => Item(waitSeconds: 100 - i)).ToList();
        var matches = RoutingMatcher.Match(queue, operators, Policy(RoutingStrategy.RoundRobin), Now);
        Assert.Equal([OperatorIds[1], OperatorIds[2], OperatorIds[0]], matches.Select(m => m.OperatorId));
    }

    [Fact]
    public void Manual_groups_are_never_routed_automatically()
    {
        Assert.Empty(RoutingMatcher.Match([Item()], [Op(0)], Policy(RoutingStrategy.Manual), Now));
    }

    [Fact]
    public void A_higher_skill_level_wins_over_a_lighter_load()
    {
        Assert.Equal(OperatorIds[0], One([Op(0, load: 2, level: 9), Op(1, load: 0, level: 4)], RoutingStrategy.LeastBusy));
    }

    [Fact]
    public void Below_the_minimum_level_and_backup_groups_only_after_overflow()
    {
        var junior = Op(0, level: 2);
        var backup = Op(1, group: Backup);
        Assert.Empty(RoutingMatcher.Match([Item()], [junior, backup], Policy(RoutingStrategy.LeastBusy, minLevel: 5), Now));
        var overflowed = Item(overflowed: true);
        // After overflow both are eligible; the own group's member comes before the backup group's.
        Assert.Equal(OperatorIds[0], One([junior, backup], RoutingStrategy.LeastBusy, overflowed, minLevel: 5));
        Assert.Equal(OperatorIds[1], One([Op(0, level: 2, load: 3), backup], RoutingStrategy.LeastBusy, overflowed, minLevel: 5));
    }

    [Fact]
    public void Returning_client_goes_to_their_last_operator_when_free()
    {
        Assert.Equal(OperatorIds[2], One([Op(0), Op(1), Op(2, load: 2)], RoutingStrategy.LeastBusy, Item(preferred: OperatorIds[2])));
        // …but not over capacity.
        Assert.NotEqual(OperatorIds[2], One([Op(0), Op(1), Op(2, load: 3)], RoutingStrategy.LeastBusy, Item(preferred: OperatorIds[2])));
    }

    [Fact]
    public void The_operator_who_missed_an_offer_gets_it_again_only_when_nobody_else_can()
    {
        Assert.Equal(OperatorIds[1], One([Op(0), Op(1, load: 2)], RoutingStrategy.LeastBusy, Item(excluded: OperatorIds[0])));
        Assert.Equal(OperatorIds[0], One([Op(0), Op(1, load: 3)], RoutingStrategy.LeastBusy, Item(excluded: OperatorIds[0])));
    }

    [Fact]
    public void Operators_fill_up_to_capacity_and_no_further()
    {
        var queue = Enumerable.Range(0, 10).Select(i => Item(waitSeconds: 100 - i)).ToList();
        var matches = RoutingMatcher.Match(queue, [Op(0, capacity: 2), Op(1, load: 1, capacity: 3)], Policy(RoutingStrategy.LeastBusy), Now);
        Assert.Equal(4, matches.Count);
        Assert.Equal(2, matches.Count(m => m.OperatorId == OperatorIds[0]));
        Assert.Equal(2, matches.Count(m => m.OperatorId == OperatorIds[1]));
    }
}

using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Reporting;

namespace Omnichat.Core.Tests.Reporting;

/// <summary>
/// The metric definitions (PRODUCT "Definitions") against hand-computed values. One hour, two groups:
/// A (service level 20 s, short abandon 5 s, wrap-up 30 s) and B (service level 30 s), operators Anna and Boris.
/// </summary>
public sealed class ConversationMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddMinutes(20);
    private static readonly ChannelId Site = ChannelId.New();
    private static readonly SkillGroupId A = SkillGroupId.New();
    private static readonly SkillGroupId B = SkillGroupId.New();
    private static readonly OperatorId Anna = OperatorId.New();
    private static readonly OperatorId Boris = OperatorId.New();

    private static GroupThresholds Thresholds(SkillGroupId? g) => g == A ? new GroupThresholds(20, 5, 30) : new GroupThresholds(30, 5, 0);

    private static DateTimeOffset At(int minutes, int seconds = 0) => T0.AddMinutes(minutes).AddSeconds(seconds);

    private static (Conversation C, ClientId Client) Open(int minutes, int seconds = 0)
    {
        var client = ClientId.New();
        var c = Conversation.Open(Site, client, null, null, Actor.ForClient(client), At(minutes, seconds));
        c.Enqueue(A, 0, Actor.System, At(minutes, seconds));
        return (c, client);
    }

    private static ConversationMetrics.Result Compute(Conversation c) => ConversationMetrics.Compute(
        new ConversationInput(c.Id, c.ChannelId, c.SkillGroupId, c.OperatorId, c.BranchId, c.RegionId, c.Topic, c.CreatedAt, c.ClosedAt, c.Rating,
            c.Events, [.. c.Messages.Select(m => (m.Direction, m.AuthorKind, m.CreatedAt))]),
        Thresholds, Now);

    /// <summary>The six conversations of the hour (see the test for the story of each).</summary>
    private static List<ConversationMetrics.Result> Hour()
    {
        // C1: answered by Anna after 10 s (in SL), first response 39 s after the client's message, closed after 300 s (+30 s wrap-up), rated 5.
        var (c1, client1) = Open(0);
        c1.AppendMessage(MessageDirection.In, Actor.ForClient(client1), "Здравствуйте", "m1", null, At(0, 1));
        c1.Assign(Anna, Actor.System, At(0, 10));
        c1.AppendMessage(MessageDirection.Out, Actor.ForOperator(Anna), "Добрый день!", null, null, At(0, 40));
        c1.AppendMessage(MessageDirection.In, Actor.ForClient(client1), "Вопрос", "m2", null, At(1, 0));
        c1.AppendMessage(MessageDirection.In, Actor.ForClient(client1), "Ещё", "m3", null, At(1, 10));
        c1.AppendMessage(MessageDirection.Out, Actor.ForOperator(Anna), "Ответ", null, null, At(1, 30));
        c1.Close("billing", Actor.ForOperator(Anna), At(5, 10));
        c1.Rate(5, null, Actor.ForClient(client1), At(5, 30));

        // C2: the client leaves after 3 s (short abandon, within SL). C3: leaves after 40 s.
        var (c2, client2) = Open(1);
        c2.Close(null, Actor.ForClient(client2), At(1, 3));
        var (c3, client3) = Open(2);
        c3.Close(null, Actor.ForClient(client3), At(2, 40));

        // C4: Boris answers after 25 s (outside SL), transfers to group B after 35 s; Anna answers there after 20 s (inside B's 30 s);
        // closed after 340 s; rated 2.
        var (c4, client4) = Open(3);
        c4.Assign(Boris, Actor.System, At(3, 25));
        c4.TransferToGroup(B, "billing question", Actor.ForOperator(Boris), At(4, 0));
        c4.Assign(Anna, Actor.System, At(4, 20));
        c4.Close(null, Actor.ForOperator(Anna), At(10, 0));
        c4.Rate(2, null, Actor.ForClient(client4), At(10, 30));

        // C5: still waiting at "now". C6: offered to Boris, who lets it lapse after 30 s; Anna gets it after 40 s in the queue.
        var (c5, _) = Open(14);
        var (c6, _) = Open(5);
        c6.Offer(Boris, At(5, 31), At(5, 1));
        c6.MissOffer(declined: false, At(5, 31));
        c6.Assign(Anna, Actor.System, At(5, 40));
        return [.. new[] { c1, c2, c3, c4, c5, c6 }.Select(Compute)];
    }

    private static CounterTotals Sum(IEnumerable<ConversationMetrics.Result> results, Func<ReportContribution, bool> where)
    {
        var t = new CounterTotals();
        foreach (var p in results.SelectMany(r => r.Contributions).Where(where))
        {
            t.Add(p);
        }

        return t;
    }

    private static double? Metric(string id, ReportCounters c) => ReportMetrics.Conversation.Single(m => m.Id == id).Value(c);

    [Fact]
    public void Service_level_counts_short_abandons_out_and_transfers_as_offers_of_each_group()
    {
        var a = Sum(Hour(), p => p.SkillGroupId == A);
        Assert.Equal(6, a.Offered);
        Assert.Equal(3, a.Answered); // C1, C4 (Boris), C6
        Assert.Equal(1, a.AnsweredInSl); // C1 only
        Assert.Equal(2, a.Abandoned);
        Assert.Equal(1, a.AbandonedShort);
        Assert.Equal(1, a.AbandonedInSl);
        // SL = answered within T ÷ (offered − abandoned within T) = 1 ÷ (6 − 1).
        Assert.Equal(0.2, Metric("serviceLevel", a));
        Assert.Equal(25.0, Metric("asa", a)); // (10 + 25 + 40) ÷ 3
        Assert.Equal(40.0, Metric("waitMax", a));
        Assert.Equal(23.6, Metric("waitMean", a)); // (10 + 25 + 40 + 3 + 40) ÷ 5
        Assert.Equal(0.2, Metric("abandonRate", a)); // (2 − 1 short) ÷ (6 − 1)
        Assert.Equal(1, a.MissedOffers);
        Assert.Equal(1, a.TransfersOut); // Boris handed C4 on

        var b = Sum(Hour(), p => p.SkillGroupId == B);
        Assert.Equal(1, b.Offered);
        Assert.Equal(1, b.Answered);
        Assert.Equal(1.0, Metric("serviceLevel", b));
        Assert.Equal(20.0, Metric("asa", b));
    }

    [Fact]
    public void Handling_first_response_reply_time_resolution_and_csat()
    {
        var all = Sum(Hour(), _ => true);
        Assert.Equal(6, all.Conversations);
        // AHT: C1 300 s + 30 s wrap-up (group A), C4 340 s with Anna in group B (no wrap-up) → (330 + 340) ÷ 2.
        Assert.Equal(2, all.Handled);
        Assert.Equal(335.0, Metric("aht", all));
        Assert.Equal(15.0, Metric("wrapUp", all));
        Assert.Equal(39.0, Metric("firstResponse", all));
        // Replies: 39 s, then two client messages answered 30 s after the first of them.
        Assert.Equal(34.5, Metric("replyTime", all));
        // Resolution: C1 310 s, C2 3 s, C3 40 s, C4 420 s.
        Assert.Equal(4, all.Closed);
        Assert.Equal(193.3, Metric("resolution", all));
        Assert.Equal(0.5, Metric("csat", all)); // 5 and 2
        Assert.Equal(1, all.Rating5);
        Assert.Equal(1, all.Rating2);

        var anna = Sum(Hour(), p => p.OperatorId == Anna);
        Assert.Equal(2, anna.Handled);
        Assert.Equal(3, anna.Answered); // C1 and C6 in A, C4 in B
        var boris = Sum(Hour(), p => p.OperatorId == Boris);
        Assert.Equal(1, boris.MissedOffers);
        Assert.Equal(1, boris.TransfersOut);
        Assert.Equal(0, boris.Handled);
    }

    [Fact]
    public void Everything_counts_in_the_interval_it_started_in_and_a_late_answer_corrects_that_interval()
    {
        var hour = Hour();
        Assert.All(hour.SelectMany(r => r.Contributions), p => Assert.Equal(Intervals.StartOf(T0), p.IntervalStart));

        // C5 entered the queue at 10:14 and is answered at 10:17 (the next interval): it still counts at 10:00.
        var (c5, _) = Open(14);
        var before = Compute(c5);
        Assert.Equal(1, Sum([before], _ => true).Offered);
        Assert.Equal(0, Sum([before], _ => true).Answered);
        c5.Assign(Anna, Actor.System, At(17));
        var after = Compute(c5);
        var answered = after.Contributions.Single(p => p.Answered == 1);
        Assert.Equal(Intervals.StartOf(At(14)), answered.IntervalStart);
        Assert.Equal(180_000, answered.WaitAnsweredMs);
        Assert.Equal(1, answered.Wait300);
        Assert.Equal(180.0, after.Facts.WaitSeconds);
    }

    [Fact]
    public void Wait_percentiles_come_from_the_histogram()
    {
        var c = new CounterTotals();
        foreach (var ms in new long[] { 5_000, 8_000, 15_000, 25_000, 50_000, 90_000, 200_000, 400_000, 700_000, 1_000_000 })
        {
            c.CountWait(ms);
            c.WaitMaxMs = Math.Max(c.WaitMaxMs, ms);
        }

        // Ten waits: two ≤ 10 s, one ≤ 20, one ≤ 30, one ≤ 60, one ≤ 120, one ≤ 300, one ≤ 600, two longer (max 1000 s).
        Assert.Equal(60.0, ReportMetrics.Percentile(c, 0.5)); // the 5th of 10 is the last in (30, 60]
        Assert.Equal(600.0, ReportMetrics.Percentile(c, 0.8));
        Assert.Equal(800.0, ReportMetrics.Percentile(c, 0.9)); // halfway through (600, 1000]
        Assert.Null(ReportMetrics.Percentile(new CounterTotals(), 0.5));
    }

    [Fact]
    public void Counters_add_and_take_away_but_the_maximum_only_grows()
    {
        var x = new CounterTotals { Offered = 3, WaitMaxMs = 40_000 };
        var y = new CounterTotals { Offered = 1, WaitMaxMs = 10_000 };
        x.Add(y, -1);
        Assert.Equal(2, x.Offered);
        Assert.Equal(40_000, x.WaitMaxMs);
        Assert.False(x.IsZero());
        Assert.True(new CounterTotals().IsZero());
        Assert.Contains(ReportCounters.Properties, p => p.Name == nameof(ReportCounters.Rating5));
    }
}

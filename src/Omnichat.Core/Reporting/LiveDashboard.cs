using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Reporting;

/// <summary>Today's (and the last 30 minutes') figures of a group, channel or the whole scope.</summary>
public sealed record LiveFigures(long Offered, long Answered, long Abandoned, double? ServiceLevel, double? ServiceLevel30, double? Asa, double? AbandonRate,
    double? Csat, long Handled, double? Aht)
{
    public static LiveFigures Of(ReportCounters today, ReportCounters last30) => new(
        today.Offered, today.Answered, today.Abandoned, Metric("serviceLevel", today), Metric("serviceLevel", last30), Metric("asa", today),
        Metric("abandonRate", today), Metric("csat", today), today.Handled, Metric("aht", today));

    private static double? Metric(string id, ReportCounters c) => ReportMetrics.Conversation.First(m => m.Id == id).Value(c);
}

public sealed record LiveQueueRow(Guid? Id, string Name, int InQueue, double? LongestWaitSeconds, int Active, int OperatorsReady, int OperatorsNotReady,
    int OperatorsOffline, LiveFigures Today);

public sealed record LiveOperatorRow(Guid Id, string Name, OperatorStatus Status, string? Reason, string State, DateTimeOffset Since, int Active, int Capacity,
    long HandledToday, IReadOnlyList<Guid> Groups);

public sealed record LiveStatusCount(OperatorStatus Status, string? Reason, int Count);

public sealed record LiveDashboardView(DateTimeOffset At, DateTimeOffset TodayFrom, DateTimeOffset Last30From, LiveQueueRow Total,
    IReadOnlyList<LiveQueueRow> Groups, IReadOnlyList<LiveQueueRow> Channels, IReadOnlyList<LiveOperatorRow> Operators, IReadOnlyList<LiveStatusCount> Statuses);

/// <summary>
/// The supervisors' live dashboard (PRODUCT A1), inside the caller's data boundary: per skill group and channel the
/// queue (count, longest wait), active conversations, operators by status, and today's service level (also over the
/// last 30 minutes), ASA, abandonment and CSAT; per operator status and since when, active/capacity, handled today.
/// Read from the live tables and today's interval roll-ups (a few small grouped queries).
/// </summary>
public sealed class LiveDashboard(OmnichatDbContext db, IOptions<OmnichatOptions> options, TimeProvider time)
{
    public async Task<LiveDashboardView> HandleAsync(StaffScope scope, IReadOnlyList<SkillGroupId> groups, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var zone = options.Value.Reports.Zone;
        var todayFrom = ReportQuery.LocalMidnight(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime), zone);
        var last30From = Intervals.ToTime(Intervals.StartOf(now.AddMinutes(-30)));

        var conversations = scope.Visible(db.Conversations.AsNoTracking()).Where(c => c.Status == ConversationStatus.Queued || c.Status == ConversationStatus.Assigned);
        if (groups.Count > 0)
        {
            conversations = conversations.Where(c => c.SkillGroupId != null && groups.Contains(c.SkillGroupId.Value));
        }

        var live = await conversations.GroupBy(c => new { c.SkillGroupId, c.ChannelId, c.Status })
            .Select(g => new { g.Key.SkillGroupId, g.Key.ChannelId, g.Key.Status, Count = g.Count(), Oldest = g.Min(c => c.QueuedAt) })
            .ToListAsync(cancellationToken);

        var operatorQuery = ReportScope.VisibleOperators(db, scope).AsNoTracking().Where(o => o.Enabled);
        if (groups.Count > 0)
        {
            operatorQuery = operatorQuery.Where(o => o.SkillGroups.Any(m => groups.Contains(m.SkillGroupId)));
        }

        var operators = await operatorQuery
            .Select(o => new { o.Id, o.DisplayName, o.Status, o.StatusReason, o.StatusSince, o.Load, o.Capacity, o.WrapUpUntil, o.LastSeenAt,
                Groups = o.SkillGroups.Select(m => m.SkillGroupId).ToList() })
            .ToListAsync(cancellationToken);

        var query = new ReportQuery { From = todayFrom, To = Intervals.ToTime(Intervals.StartOf(now) + Intervals.Seconds), Groups = groups };
        var rows = ReportScope.Filtered(ReportScope.Within(db.ReportIntervals.AsNoTracking(), scope), query);
        var last30Start = Intervals.StartOf(last30From);
        var byGroup = await RunReport.SumAsync(rows, r => r.SkillGroupId, cancellationToken);
        var byGroup30 = await RunReport.SumAsync(rows.Where(r => r.IntervalStart >= last30Start), r => r.SkillGroupId, cancellationToken);
        var byChannel = await RunReport.SumAsync(rows, r => r.ChannelId, cancellationToken);
        var byChannel30 = await RunReport.SumAsync(rows.Where(r => r.IntervalStart >= last30Start), r => r.ChannelId, cancellationToken);
        var byOperator = (await RunReport.SumAsync(rows.Where(r => r.OperatorId != null), r => r.OperatorId, cancellationToken))
            .ToDictionary(s => s.Key!.Value, s => s.Totals);

        var groupNames = await db.SkillGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var channelNames = await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

        double? LongestWait(IEnumerable<DateTimeOffset?> oldest)
        {
            var o = oldest.Where(x => x is not null).Min();
            return o is { } at ? Math.Round((now - at).TotalSeconds, 0) : null;
        }

        CounterTotals Sum(IEnumerable<CounterTotals> parts)
        {
            var t = new CounterTotals();
            foreach (var p in parts)
            {
                t.Add(p);
            }

            return t;
        }

        LiveQueueRow Queue(Guid? id, string name, Func<SkillGroupId?, ChannelId, bool> match, Func<IReadOnlyList<SkillGroupId>, bool> member,
            CounterTotals today, CounterTotals last30)
        {
            var mine = live.Where(l => match(l.SkillGroupId, l.ChannelId)).ToList();
            var queued = mine.Where(l => l.Status == ConversationStatus.Queued).ToList();
            var members = operators.Where(o => member(o.Groups)).ToList();
            return new LiveQueueRow(id, name, queued.Sum(l => l.Count), LongestWait(queued.Select(l => l.Oldest)),
                mine.Where(l => l.Status == ConversationStatus.Assigned).Sum(l => l.Count),
                members.Count(o => o.Status == OperatorStatus.Ready), members.Count(o => o.Status == OperatorStatus.NotReady),
                members.Count(o => o.Status == OperatorStatus.Offline), LiveFigures.Of(today, last30));
        }

        var groupIds = live.Select(l => l.SkillGroupId).OfType<SkillGroupId>().Concat(byGroup.Select(g => g.Key).OfType<SkillGroupId>())
            .Concat(operators.SelectMany(o => o.Groups).Where(g => groups.Count == 0 || groups.Contains(g))).Distinct()
            .Where(g => scope.Data.All || scope.BoundaryGroups.Contains(g)).ToList();
        var groupRows = groupIds.Select(g => Queue(g.Value, groupNames.GetValueOrDefault(g, "?"), (sg, _) => sg == g, og => og.Contains(g),
                byGroup.FirstOrDefault(x => x.Key == g).Totals ?? new CounterTotals(), byGroup30.FirstOrDefault(x => x.Key == g).Totals ?? new CounterTotals()))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        var channelIds = live.Select(l => l.ChannelId).Concat(byChannel.Select(c => c.Key)).Distinct().ToList();
        var channelRows = channelIds.Select(c => Queue(c.Value, channelNames.GetValueOrDefault(c, "?"), (_, ch) => ch == c, _ => false,
                byChannel.FirstOrDefault(x => x.Key == c).Totals ?? new CounterTotals(), byChannel30.FirstOrDefault(x => x.Key == c).Totals ?? new CounterTotals()))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        var total = Queue(null, "", (_, _) => true, _ => true, Sum(byGroup.Select(g => g.Totals)), Sum(byGroup30.Select(g => g.Totals)));

        var operatorRows = operators.Select(o => new LiveOperatorRow(o.Id.Value, o.DisplayName, o.Status, o.StatusReason,
                o.Status != OperatorStatus.Ready ? o.Status == OperatorStatus.NotReady ? "not-ready" : "offline"
                : o.WrapUpUntil > now ? "wrap-up" : o.Load >= o.Capacity ? "busy" : o.Load > 0 ? "working" : "idle",
                o.StatusSince, o.Load, o.Capacity, byOperator.GetValueOrDefault(o.Id)?.Handled ?? 0, [.. o.Groups.Select(g => g.Value)]))
            .OrderBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        var statuses = operators.GroupBy(o => (o.Status, o.StatusReason)).Select(g => new LiveStatusCount(g.Key.Status, g.Key.StatusReason, g.Count()))
            .OrderBy(s => s.Status).ThenBy(s => s.Reason, StringComparer.Ordinal).ToList();
        return new LiveDashboardView(now, todayFrom, last30From, total, groupRows, channelRows, operatorRows, statuses);
    }
}

using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

public sealed record ReportColumn(string Id, string Title, MetricKind Kind);

/// <summary>One row: its key (a bucket start or a dimension id), a label, the figures by column id; From/To for drill-down.</summary>
public sealed record ReportRow(string Key, string Label, IReadOnlyDictionary<string, double?> Values, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record ReportResult(
    string Report, DateTimeOffset From, DateTimeOffset To, string? Bucket, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<ReportRow> Rows, ReportRow? Total);

/// <summary>
/// The historical reports (PRODUCT A1–A3), all read from the 15-minute roll-ups inside the caller's data boundary:
/// summary; by interval (15 min, hour, day, week, month in the report time zone); by skill group, channel, operator,
/// branch, region and topic; CSAT distribution; operator activity (time per state, occupancy, concurrency); missed offers.
/// </summary>
public sealed class RunReport(OmnichatDbContext db, IOptions<OmnichatOptions> options, TimeProvider time)
{
    public const int MaxBuckets = 5000;

    public static readonly IReadOnlyList<string> Tables = ["summary", "intervals", "groups", "channels", "operators", "branches", "regions", "topics", "csat", "activity", "missed"];

    public TimeZoneInfo Zone => options.Value.Reports.Zone;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<ReportResult> HandleAsync(StaffScope scope, string report, ReportQuery q, bool english, CancellationToken cancellationToken)
    {
        if (!Tables.Contains(report))
        {
            throw new NotFoundException("Report", report);
        }

        await q.ValidateAsync(db, scope, cancellationToken);
        var rows = new ReportSource(db, scope, q);
        var columns = ReportMetrics.Conversation.Select(m => new ReportColumn(m.Id, m.Title(english), m.Kind)).ToList();
        switch (report)
        {
            case "summary":
            {
                var row = Row("total", english ? "Total" : "Итого", Total(await rows.SumAsync(r => 1, cancellationToken)), q.From, q.To);
                return new ReportResult(report, q.From, q.To, null, columns, [row], row);
            }

            case "intervals":
            {
                var (list, total) = await IntervalsAsync(rows, q, cancellationToken);
                return new ReportResult(report, q.From, q.To, q.Bucket, columns, list, Row("total", english ? "Total" : "Итого", total, q.From, q.To));
            }

            case "csat":
                return await CsatAsync(rows, q, english, cancellationToken);
            case "activity":
                return await ActivityAsync(scope, rows, q, english, cancellationToken);
            case "missed":
                return await MissedAsync(rows, q, english, cancellationToken);
            default:
            {
                var (list, total) = await ByDimensionAsync(report, rows, q, cancellationToken);
                return new ReportResult(report, q.From, q.To, null, columns, list, Row("total", english ? "Total" : "Итого", total, q.From, q.To));
            }
        }
    }

    private static ReportRow Row(string key, string label, ReportCounters c, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        new(key, label, ReportMetrics.Conversation.ToDictionary(m => m.Id, m => m.Value(c)), from, to);

    /// <summary>The total of grouped sums (every row is in exactly one group, so no second query).</summary>
    private static CounterTotals Total<TKey>(IEnumerable<(TKey Key, CounterTotals Totals)> sums)
    {
        var total = new CounterTotals();
        foreach (var s in sums)
        {
            total.Add(s.Totals);
        }

        return total;
    }

    private async Task<(List<ReportRow> Rows, CounterTotals Total)> IntervalsAsync(ReportSource rows, ReportQuery q, CancellationToken cancellationToken)
    {
        // Grouped by interval (an hour from the hourly roll-ups), then into buckets here: exact in any time zone and across DST changes.
        var sums = await rows.SumAsync(r => r.IntervalStart, cancellationToken, fine: q.Bucket == "15min");
        var byStart = new Dictionary<DateTimeOffset, CounterTotals>();
        foreach (var (key, totals) in sums)
        {
            var start = BucketStart(Intervals.ToTime(key), q.Bucket);
            if (!byStart.TryGetValue(start, out var acc))
            {
                byStart[start] = acc = new CounterTotals();
            }

            acc.Add(totals);
        }

        var result = new List<ReportRow>();
        for (var start = BucketStart(q.From, q.Bucket); start < q.To; start = Next(start, q.Bucket))
        {
            if (result.Count >= MaxBuckets)
            {
                throw new FieldValidationException("bucket", $"The period has more than {MaxBuckets} buckets of this size; choose a larger bucket.");
            }

            var end = Next(start, q.Bucket);
            var local = TimeZoneInfo.ConvertTime(start, Zone);
            var label = q.Bucket switch
            {
                "15min" or "hour" => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                "month" => local.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                _ => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            result.Add(Row(start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), label,
                byStart.GetValueOrDefault(start) ?? new CounterTotals(), start < q.From ? q.From : start, end > q.To ? q.To : end));
        }

        return (result, Total(sums));
    }

    /// <summary>The start of the bucket containing <paramref name="at"/>, in the report time zone.</summary>
    public DateTimeOffset BucketStart(DateTimeOffset at, string bucket)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        return bucket switch
        {
            "15min" => Intervals.ToTime(Intervals.StartOf(at)),
            "hour" => new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset).ToUniversalTime(),
            "week" => ReportQuery.LocalMidnight(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), Zone),
            "month" => ReportQuery.LocalMidnight(new DateOnly(day.Year, day.Month, 1), Zone),
            _ => ReportQuery.LocalMidnight(day, Zone),
        };
    }

    private DateTimeOffset Next(DateTimeOffset start, string bucket)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, Zone).DateTime);
        return bucket switch
        {
            "15min" => start.AddMinutes(15),
            "hour" => start.AddHours(1),
            "week" => ReportQuery.LocalMidnight(day.AddDays(7), Zone),
            "month" => ReportQuery.LocalMidnight(day.AddMonths(1), Zone),
            _ => ReportQuery.LocalMidnight(day.AddDays(1), Zone),
        };
    }

    private async Task<(List<ReportRow> Rows, CounterTotals Total)> ByDimensionAsync(string report, ReportSource rows, ReportQuery q, CancellationToken cancellationToken)
    {
        List<(string Key, CounterTotals Totals)> sums = report switch
        {
            "groups" => [.. (await rows.SumAsync(r => r.SkillGroupId, cancellationToken)).Select(s => (s.Key?.ToString() ?? "", s.Totals))],
            "channels" => [.. (await rows.SumAsync(r => r.ChannelId, cancellationToken)).Select(s => (s.Key.ToString(), s.Totals))],
            "operators" => [.. (await rows.SumAsync(r => r.OperatorId, cancellationToken)).Select(s => (s.Key?.ToString() ?? "", s.Totals))],
            "branches" => [.. (await rows.SumAsync(r => r.BranchId, cancellationToken)).Select(s => (s.Key?.ToString() ?? "", s.Totals))],
            "regions" => [.. (await rows.SumAsync(r => r.RegionId, cancellationToken)).Select(s => (s.Key?.ToString() ?? "", s.Totals))],
            _ => [.. (await rows.SumAsync(r => r.Topic, cancellationToken)).Select(s => (s.Key, s.Totals))],
        };
        var names = await NamesAsync(report, cancellationToken);
        return ([.. sums.Select(s => Row(s.Key, s.Key.Length == 0 ? "—" : names.GetValueOrDefault(s.Key, s.Key), s.Totals, q.From, q.To))
            .OrderBy(r => r.Label, StringComparer.CurrentCultureIgnoreCase)], Total(sums));
    }

    /// <summary>Display names of a dimension's ids.</summary>
    public async Task<Dictionary<string, string>> NamesAsync(string dimension, CancellationToken cancellationToken) => dimension switch
    {
        "groups" => await db.SkillGroups.AsNoTracking().ToDictionaryAsync(g => g.Id.ToString(), g => g.Name, cancellationToken),
        "channels" => await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, cancellationToken),
        "operators" or "activity" or "missed" => await db.Operators.AsNoTracking().ToDictionaryAsync(o => o.Id.ToString(), o => o.DisplayName, cancellationToken),
        "branches" => await db.Branches.AsNoTracking().ToDictionaryAsync(b => b.Id.ToString(), b => b.Name, cancellationToken),
        "regions" => await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id.ToString(), r => r.Name, cancellationToken),
        _ => [],
    };

    private static async Task<ReportResult> CsatAsync(ReportSource rows, ReportQuery q, bool english, CancellationToken cancellationToken)
    {
        var t = Total(await rows.SumAsync(r => 1, cancellationToken));
        long[] counts = [t.Rating1, t.Rating2, t.Rating3, t.Rating4, t.Rating5];
        var columns = new List<ReportColumn>
        {
            new("rated", english ? "Ratings" : "Оценки", MetricKind.Count), new("share", english ? "Share" : "Доля", MetricKind.Share),
        };
        var list = counts.Select((n, i) => new ReportRow((i + 1).ToString(CultureInfo.InvariantCulture), (i + 1).ToString(CultureInfo.InvariantCulture),
            new Dictionary<string, double?> { ["rated"] = n, ["share"] = t.Rated > 0 ? Math.Round((double)n / t.Rated, 4) : null }, q.From, q.To)).ToList();
        var total = new ReportRow("total", "CSAT", new Dictionary<string, double?>
        {
            ["rated"] = t.Rated, ["share"] = t.Rated > 0 ? Math.Round((double)(t.Rating4 + t.Rating5) / t.Rated, 4) : null,
        }, q.From, q.To);
        return new ReportResult("csat", q.From, q.To, null, columns, list, total);
    }

    private async Task<ReportResult> MissedAsync(ReportSource rows, ReportQuery q, bool english, CancellationToken cancellationToken)
    {
        var sums = await rows.SumAsync(r => r.OperatorId, cancellationToken,
            r => r.OperatorId != null && (r.MissedOffers > 0 || r.DeclinedOffers > 0 || r.Answered > 0));
        var names = await NamesAsync("operators", cancellationToken);
        var columns = new List<ReportColumn>
        {
            new("missedOffers", english ? "Missed" : "Пропущено", MetricKind.Count), new("declinedOffers", english ? "Declined" : "Отклонено", MetricKind.Count),
            new("answered", english ? "Answered" : "Принято", MetricKind.Count), new("missRate", english ? "Missed share" : "Доля пропущенных", MetricKind.Share),
        };
        ReportRow Make(string key, string label, ReportCounters c) => new(key, label, new Dictionary<string, double?>
        {
            ["missedOffers"] = c.MissedOffers, ["declinedOffers"] = c.DeclinedOffers, ["answered"] = c.Answered,
            ["missRate"] = c.MissedOffers + c.DeclinedOffers + c.Answered > 0 ? Math.Round((double)(c.MissedOffers + c.DeclinedOffers) / (c.MissedOffers + c.DeclinedOffers + c.Answered), 4) : null,
        }, q.From, q.To);
        var total = Total(sums);
        return new ReportResult("missed", q.From, q.To, null, columns,
            [.. sums.Where(s => s.Totals.MissedOffers + s.Totals.DeclinedOffers > 0).Select(s => Make(s.Key!.Value.ToString(), names.GetValueOrDefault(s.Key!.Value.ToString(), "?"), s.Totals))
                .OrderByDescending(r => r.Values["missedOffers"] + r.Values["declinedOffers"])],
            Make("total", english ? "Total" : "Итого", total));
    }

    private async Task<ReportResult> ActivityAsync(StaffScope scope, ReportSource rows, ReportQuery q, bool english, CancellationToken cancellationToken)
    {
        var from = Intervals.StartOf(q.From);
        var to = Intervals.StartOf(q.To);
        var operators = ReportScope.VisibleOperators(db, scope);
        if (q.Operators.Count > 0)
        {
            var ids = q.Operators;
            operators = operators.Where(o => ids.Contains(o.Id));
        }

        if (q.Groups.Count > 0)
        {
            var ids = q.Groups;
            operators = operators.Where(o => o.SkillGroups.Any(m => ids.Contains(m.SkillGroupId)));
        }

        var visible = operators.Select(o => o.Id);
        var times = await db.ReportOperatorIntervals.AsNoTracking()
            .Where(t => t.IntervalStart >= from && t.IntervalStart < to && visible.Contains(t.OperatorId))
            .GroupBy(t => new { t.OperatorId, t.State, t.Reason })
            .Select(g => new { g.Key.OperatorId, g.Key.State, g.Key.Reason, Ms = g.Sum(t => t.Ms) })
            .ToListAsync(cancellationToken);
        var handled = (await rows.SumAsync(r => r.OperatorId, cancellationToken, r => r.OperatorId != null))
            .ToDictionary(s => s.Key!.Value, s => s.Totals);
        var names = await NamesAsync("operators", cancellationToken);
        var reasons = times.Where(t => t.State == OperatorStates.NotReady && t.Reason.Length > 0).Select(t => t.Reason).Distinct().Order(StringComparer.Ordinal).ToList();
        var columns = new List<ReportColumn>
        {
            new("ready", english ? "Ready, s" : "Готов, с", MetricKind.Seconds),
            new("notReady", english ? "Not ready, s" : "Не готов, с", MetricKind.Seconds),
        };
        columns.AddRange(reasons.Select(r => new ReportColumn("notReady:" + r, (english ? "Not ready: " : "Не готов: ") + r + (english ? ", s" : ", с"), MetricKind.Seconds)));
        columns.AddRange(
        [
            new("engaged", english ? "With conversations, s" : "С обращениями, с", MetricKind.Seconds),
            new("occupancy", english ? "Occupancy" : "Занятость", MetricKind.Share),
            new("concurrency", english ? "Concurrency" : "Параллельность", MetricKind.Number),
            new("handled", english ? "Handled" : "Обработано", MetricKind.Count),
            new("aht", english ? "AHT, s" : "AHT, с", MetricKind.Seconds),
        ]);

        ReportRow Make(string key, string label, IEnumerable<(string State, string Reason, long Ms)> t, ReportCounters c)
        {
            var list = t.ToList();
            long Sum(string state) => list.Where(x => x.State == state).Sum(x => x.Ms);
            var values = new Dictionary<string, double?>
            {
                ["ready"] = Sum(OperatorStates.Ready) / 1000.0,
                ["notReady"] = Sum(OperatorStates.NotReady) / 1000.0,
            };
            foreach (var r in reasons)
            {
                values["notReady:" + r] = list.Where(x => x.State == OperatorStates.NotReady && x.Reason == r).Sum(x => x.Ms) / 1000.0;
            }

            var engaged = Sum(OperatorStates.Engaged);
            var available = Sum(OperatorStates.Available);
            values["engaged"] = engaged / 1000.0;
            values["occupancy"] = available > 0 ? Math.Round((double)engaged / available, 4) : null;
            values["concurrency"] = engaged > 0 ? Math.Round((double)Sum(OperatorStates.Chats) / engaged, 2) : null;
            values["handled"] = c.Handled;
            values["aht"] = c.Handled > 0 ? Math.Round(c.HandleMs / 1000.0 / c.Handled, 1) : null;
            return new ReportRow(key, label, values, q.From, q.To);
        }

        var people = times.Select(t => t.OperatorId).Concat(handled.Keys).Distinct().ToList();
        var result = people.Select(id => Make(id.ToString(), names.GetValueOrDefault(id.ToString(), "?"),
                times.Where(t => t.OperatorId == id).Select(t => (t.State, t.Reason, t.Ms)), handled.GetValueOrDefault(id) ?? new CounterTotals()))
            .OrderBy(r => r.Label, StringComparer.CurrentCultureIgnoreCase).ToList();
        var all = Total(handled.Select(h => (h.Key, h.Value)));
        return new ReportResult("activity", q.From, q.To, null, columns, result,
            Make("total", english ? "Total" : "Итого", times.Select(t => (t.State, t.Reason, t.Ms)), all));
    }

    /// <summary>Grouped sums of every counter (the maximum for <see cref="ReportCounters.WaitMaxMs"/>), translated to one SQL GROUP BY.</summary>
    public static async Task<List<(TKey Key, CounterTotals Totals)>> SumAsync<TRow, TKey>(IQueryable<TRow> rows, Expression<Func<TRow, TKey>> key,
        CancellationToken cancellationToken) where TRow : ReportCounters
    {
        var grouped = rows.GroupBy(key);
        var g = Expression.Parameter(typeof(IGrouping<TKey, TRow>), "g");
        var bindings = new List<MemberBinding> { Expression.Bind(typeof(Grouped<TKey>).GetProperty(nameof(Grouped<TKey>.Key))!, Expression.Property(g, "Key")) };
        foreach (var p in ReportCounters.Properties)
        {
            var x = Expression.Parameter(typeof(TRow), "x");
            var selector = Expression.Lambda<Func<TRow, long>>(Expression.Property(x, p.Name), x);
            var aggregate = Expression.Call(typeof(Enumerable), p.Name == nameof(ReportCounters.WaitMaxMs) ? nameof(Enumerable.Max) : nameof(Enumerable.Sum),
                [typeof(TRow)], g, selector);
            bindings.Add(Expression.Bind(typeof(Grouped<TKey>).GetProperty(p.Name)!, aggregate));
        }

        var projection = Expression.Lambda<Func<IGrouping<TKey, TRow>, Grouped<TKey>>>(
            Expression.MemberInit(Expression.New(typeof(Grouped<TKey>)), bindings), g);
        var list = await grouped.Select(projection).ToListAsync(cancellationToken);
        return [.. list.Select(r =>
        {
            var totals = new CounterTotals();
            totals.Add(r);
            return (r.Key, totals);
        })];
    }

    private sealed class Grouped<TKey> : ReportCounters
    {
        public TKey Key { get; set; } = default!;
    }
}

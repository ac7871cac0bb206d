using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// The report rows of one query inside the caller's data boundary, and grouped sums over them read from the smallest
/// roll-up that gives the exact answer: an hourly roll-up (by branch and region, by topic, by skill group and channel,
/// or by operator) holding every dimension the query's filters, its cut and the caller's boundary read, for the whole
/// hours of the period; the 15-minute rows for the rest (partial hours at either end, hours whose interval rows changed
/// since their roll-up was computed) and for everything a roll-up cannot answer. The answer is the same either way
/// (the API tests compare both paths).
/// </summary>
public sealed class ReportSource(OmnichatDbContext db, StaffScope scope, ReportQuery q)
{
    public const string Fine = "report_intervals";
    public const string HourGroups = "report_hour_groups";
    public const string HourOperators = "report_hour_operators";
    public const string HourBranches = "report_hour_branches";
    public const string HourTopics = "report_hour_topics";

    /// <summary>The 15-minute rows of the query.</summary>
    public IQueryable<ReportInterval> FineRows => ReportScope.Filtered(ReportScope.Within(db.ReportIntervals.AsNoTracking(), scope), q);

    /// <summary>The table the last sum read (diagnostics, tests, benchmark).</summary>
    public string? LastSource { get; private set; }

    /// <summary>Set to read the 15-minute rows only (the tests compare the two paths).</summary>
    public bool FineOnly { get; init; }

    /// <summary>
    /// Sums of every counter grouped by <paramref name="key"/> over the query's rows (and <paramref name="where"/>);
    /// <paramref name="fine"/>: the key needs 15-minute resolution.
    /// </summary>
    public async Task<List<(TKey Key, CounterTotals Totals)>> SumAsync<TKey>(Expression<Func<ReportInterval, TKey>> key, CancellationToken cancellationToken,
        Expression<Func<ReportInterval, bool>>? where = null, bool fine = false)
    {
        var used = new HashSet<string>(Members(key), StringComparer.Ordinal);
        used.UnionWith(where is null ? [] : Members(where));
        used.UnionWith(FilterMembers());

        // A limited data boundary reads branch, region, group and operator together: only the 15-minute rows have them all.
        if (!fine && !FineOnly && scope.Data.All)
        {
            // Smallest first: a few branches, a few dozen topics, groups × channels, operators.
            if (Covers<ReportHourBranch>(used))
            {
                LastSource = HourBranches;
                return await FromHoursAsync(db.ReportHourBranches.AsNoTracking(), key, where, cancellationToken);
            }

            if (Covers<ReportHourTopic>(used))
            {
                LastSource = HourTopics;
                return await FromHoursAsync(db.ReportHourTopics.AsNoTracking(), key, where, cancellationToken);
            }

            if (Covers<ReportHourGroup>(used))
            {
                LastSource = HourGroups;
                return await FromHoursAsync(db.ReportHourGroups.AsNoTracking(), key, where, cancellationToken);
            }

            if (Covers<ReportHourOperator>(used))
            {
                LastSource = HourOperators;
                return await FromHoursAsync(db.ReportHourOperators.AsNoTracking(), key, where, cancellationToken);
            }
        }

        LastSource = Fine;
        var rows = FineRows;
        if (where is not null)
        {
            rows = rows.Where(where);
        }

        return await RunReport.SumAsync(rows, key, cancellationToken);
    }

    /// <summary>
    /// The whole hours of the period from the hourly roll-up (less the hours marked as changed), and the rest — the
    /// partial hours at either end, the marked hours — from the 15-minute rows, added up by key.
    /// </summary>
    private async Task<List<(TKey Key, CounterTotals Totals)>> FromHoursAsync<TRow, TKey>(IQueryable<TRow> hours, Expression<Func<ReportInterval, TKey>> key,
        Expression<Func<ReportInterval, bool>>? where, CancellationToken cancellationToken) where TRow : ReportCounters
    {
        var from = Intervals.StartOf(q.From);
        var to = Intervals.StartOf(q.To);
        var first = ReportHourRollup.HourOf(from + ReportHourRollup.Seconds - 1);
        var last = ReportHourRollup.HourOf(to);
        if (first >= last)
        {
            LastSource = Fine;
            return await RunReport.SumAsync(where is null ? FineRows : FineRows.Where(where), key, cancellationToken);
        }

        var changed = await db.ReportDirtyHours.AsNoTracking().Where(h => h.HourStart >= first && h.HourStart < last).Select(h => h.HourStart)
            .ToListAsync(cancellationToken);
        var clean = ReportScope.Filtered(hours, q with { From = Intervals.ToTime(first), To = Intervals.ToTime(last) });
        if (changed.Count > 0)
        {
            clean = clean.Where(ReportScope.Retype<TRow>(r => !changed.Contains(r.IntervalStart)));
        }

        if (where is not null)
        {
            clean = clean.Where(ReportScope.Retype<ReportInterval, TRow, bool>(where));
        }

        var sums = await RunReport.SumAsync(clean, ReportScope.Retype<ReportInterval, TRow, TKey>(key), cancellationToken);
        if (changed.Count == 0 && first == from && last == to)
        {
            return sums;
        }

        // Ranges and a list of interval starts, so the database reads them through the interval index.
        var changedIntervals = changed.SelectMany(h => Enumerable.Range(0, ReportHourRollup.Seconds / Intervals.Seconds).Select(i => h + (i * (long)Intervals.Seconds)))
            .ToList();
        var rest = FineRows.Where(r => r.IntervalStart < first || r.IntervalStart >= last || changedIntervals.Contains(r.IntervalStart));
        if (where is not null)
        {
            rest = rest.Where(where);
        }

        sums.AddRange(await RunReport.SumAsync(rest, key, cancellationToken));
        return [.. sums.GroupBy(s => s.Key).Select(g =>
        {
            var totals = new CounterTotals();
            foreach (var s in g)
            {
                totals.Add(s.Totals);
            }

            return (g.Key, totals);
        })];
    }

    /// <summary>The dimensions the query's filters read.</summary>
    private IEnumerable<string> FilterMembers()
    {
        yield return nameof(ReportInterval.IntervalStart);
        if (q.Channels.Count > 0)
        {
            yield return nameof(ReportInterval.ChannelId);
        }

        if (q.Groups.Count > 0)
        {
            yield return nameof(ReportInterval.SkillGroupId);
        }

        if (q.Operators.Count > 0)
        {
            yield return nameof(ReportInterval.OperatorId);
        }

        if (q.Branches.Count > 0)
        {
            yield return nameof(ReportInterval.BranchId);
        }

        if (q.Regions.Count > 0)
        {
            yield return nameof(ReportInterval.RegionId);
        }

        if (q.Topics.Count > 0)
        {
            yield return nameof(ReportInterval.Topic);
        }
    }

    private static bool Covers<T>(HashSet<string> members) => members.All(m => typeof(T).GetProperty(m) is not null);

    /// <summary>The row members an expression reads.</summary>
    private static HashSet<string> Members(LambdaExpression e)
    {
        var visitor = new MemberCollector(e.Parameters[0]);
        visitor.Visit(e.Body);
        return visitor.Names;
    }

    private sealed class MemberCollector(ParameterExpression row) : ExpressionVisitor
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression == row)
            {
                Names.Add(node.Member.Name);
            }

            return base.VisitMember(node);
        }
    }
}

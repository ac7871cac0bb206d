using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// The report rows of one query inside the caller's data boundary, and grouped sums over them read from the smallest
/// roll-up that gives the exact answer: an hourly roll-up (by branch and region, by topic, by skill group and channel,
/// or by operator) holding every dimension the query's filters, its cut and the caller's boundary read, when the
/// period falls on whole hours;
/// the 15-minute rows otherwise. Hours whose interval rows changed since their roll-up was computed are read from the
/// 15-minute rows, so the answer is the same either way (the API tests compare both).
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
        if (!fine && !FineOnly && OnWholeHours)
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

    /// <summary>Everyone's figures (a limited boundary reads dimensions the hourly roll-ups lack) over whole hours.</summary>
    private bool OnWholeHours =>
        scope.Data.All && Intervals.StartOf(q.From) % ReportHourRollup.Seconds == 0 && Intervals.StartOf(q.To) % ReportHourRollup.Seconds == 0;

    private async Task<List<(TKey Key, CounterTotals Totals)>> FromHoursAsync<TRow, TKey>(IQueryable<TRow> hours, Expression<Func<ReportInterval, TKey>> key,
        Expression<Func<ReportInterval, bool>>? where, CancellationToken cancellationToken) where TRow : ReportCounters
    {
        var from = Intervals.StartOf(q.From);
        var to = Intervals.StartOf(q.To);
        var changed = await db.ReportDirtyHours.AsNoTracking().Where(h => h.HourStart >= from && h.HourStart < to).Select(h => h.HourStart)
            .ToListAsync(cancellationToken);
        var clean = ReportScope.Filtered(hours, q);
        if (changed.Count > 0)
        {
            clean = clean.Where(ReportScope.Retype<TRow>(r => !changed.Contains(r.IntervalStart)));
        }

        if (where is not null)
        {
            clean = clean.Where(ReportScope.Retype<ReportInterval, TRow, bool>(where));
        }

        var sums = await RunReport.SumAsync(clean, ReportScope.Retype<ReportInterval, TRow, TKey>(key), cancellationToken);
        if (changed.Count == 0)
        {
            return sums;
        }

        var fresh = FineRows.Where(r => changed.Contains(r.IntervalStart - (r.IntervalStart % ReportHourRollup.Seconds)));
        if (where is not null)
        {
            fresh = fresh.Where(where);
        }

        sums.AddRange(await RunReport.SumAsync(fresh, key, cancellationToken));
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

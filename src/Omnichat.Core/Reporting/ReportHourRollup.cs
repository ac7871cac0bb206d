using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Keeps the hourly roll-ups (<see cref="ReportHourGroup"/>, <see cref="ReportHourOperator"/>, <see cref="ReportHourBranch"/>,
/// <see cref="ReportHourTopic"/>) equal to the sums of the
/// 15-minute interval rows. Whatever changes interval rows marks their hours (<see cref="MarkAsync"/>, in the same
/// transaction); the reporting job computes marked hours again. Reports read marked hours from the interval rows, so
/// they are exact and current whether or not the job has caught up.
/// </summary>
public sealed class ReportHourRollup(OmnichatDbContext db)
{
    public const int Seconds = 3600;

    public static long HourOf(long intervalStart) => intervalStart - (((intervalStart % Seconds) + Seconds) % Seconds);

    /// <summary>Marks hours as changed, inside the caller's transaction (the caller saves).</summary>
    public static async Task MarkAsync(OmnichatDbContext db, IEnumerable<long> hours, CancellationToken cancellationToken)
    {
        foreach (var hour in hours.Distinct())
        {
            if (db.ReportDirtyHours.Local.Any(h => h.HourStart == hour))
            {
                continue;
            }

            // A new stamp makes the job's removal of an older mark a no-op (see ReportDirtyHour).
            var marked = await db.ReportDirtyHours.Where(h => h.HourStart == hour)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.Stamp, h => h.Stamp + 1), cancellationToken);
            if (marked == 0)
            {
                db.ReportDirtyHours.Add(new ReportDirtyHour { HourStart = hour, Stamp = 1 });
            }
        }
    }

    /// <summary>Computes up to <paramref name="max"/> marked hours again, oldest first; returns how many.</summary>
    public async Task<int> ComputeMarkedAsync(int max, CancellationToken cancellationToken)
    {
        var marked = await db.ReportDirtyHours.AsNoTracking().OrderBy(h => h.HourStart).Take(max).ToListAsync(cancellationToken);
        foreach (var m in marked)
        {
            await ComputeAsync(m.HourStart, m.Stamp, cancellationToken);
        }

        return marked.Count;
    }

    /// <summary>
    /// Replaces one hour's roll-up rows with the sums of its interval rows. With a <paramref name="stamp"/>, the hour's
    /// mark is removed if it still carries that stamp (it was read before the interval rows were).
    /// </summary>
    public async Task ComputeAsync(long hour, long? stamp, CancellationToken cancellationToken)
    {
        var end = hour + Seconds;

        // One grouped read of the hour (a few hundred rows), cut four ways here.
        var parts = (await RunReport.SumAsync(db.ReportIntervals.AsNoTracking().Where(i => i.IntervalStart >= hour && i.IntervalStart < end),
                r => new { r.SkillGroupId, r.ChannelId, r.OperatorId, r.BranchId, r.RegionId, r.Topic }, cancellationToken))
            .Select(p => (Key: new Dimensions(p.Key.SkillGroupId, p.Key.ChannelId, p.Key.OperatorId, p.Key.BranchId, p.Key.RegionId, p.Key.Topic), p.Totals))
            .ToList();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.ReportHourGroups.Where(g => g.IntervalStart == hour).ExecuteDeleteAsync(ct);
            await db.ReportHourOperators.Where(o => o.IntervalStart == hour).ExecuteDeleteAsync(ct);
            await db.ReportHourBranches.Where(b => b.IntervalStart == hour).ExecuteDeleteAsync(ct);
            await db.ReportHourTopics.Where(t => t.IntervalStart == hour).ExecuteDeleteAsync(ct);
            db.ReportHourGroups.AddRange(Cut(parts, k => (k.SkillGroupId, k.ChannelId),
                k => new ReportHourGroup { IntervalStart = hour, SkillGroupId = k.SkillGroupId, ChannelId = k.ChannelId }));
            db.ReportHourOperators.AddRange(Cut(parts, k => k.OperatorId, k => new ReportHourOperator { IntervalStart = hour, OperatorId = k }));
            db.ReportHourBranches.AddRange(Cut(parts, k => (k.BranchId, k.RegionId),
                k => new ReportHourBranch { IntervalStart = hour, BranchId = k.BranchId, RegionId = k.RegionId }));
            db.ReportHourTopics.AddRange(Cut(parts, k => k.Topic, k => new ReportHourTopic { IntervalStart = hour, Topic = k }));
            if (stamp is { } s)
            {
                await db.ReportDirtyHours.Where(h => h.HourStart == hour && h.Stamp == s).ExecuteDeleteAsync(ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }, cancellationToken);
    }

    private readonly record struct Dimensions(
        SkillGroupId? SkillGroupId, ChannelId ChannelId, OperatorId? OperatorId, BranchId? BranchId, RegionId? RegionId, string Topic);

    /// <summary>The hour's sums cut by some of the dimensions: one roll-up row per distinct cut.</summary>
    private static IEnumerable<TRow> Cut<TKey, TRow>(List<(Dimensions Key, CounterTotals Totals)> parts, Func<Dimensions, TKey> key, Func<TKey, TRow> make)
        where TRow : ReportCounters =>
        parts.GroupBy(p => key(p.Key)).Select(g =>
        {
            var row = make(g.Key);
            foreach (var p in g)
            {
                row.Add(p.Totals);
            }

            return row;
        });
}

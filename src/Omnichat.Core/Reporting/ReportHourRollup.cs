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
        var rows = db.ReportIntervals.AsNoTracking().Where(i => i.IntervalStart >= hour && i.IntervalStart < end);
        var byGroup = await RunReport.SumAsync(rows, r => new { r.SkillGroupId, r.ChannelId }, cancellationToken);
        var byOperator = await RunReport.SumAsync(rows, r => r.OperatorId, cancellationToken);
        var byBranch = await RunReport.SumAsync(rows, r => new { r.BranchId, r.RegionId }, cancellationToken);
        var byTopic = await RunReport.SumAsync(rows, r => r.Topic, cancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.ReportHourGroups.Where(g => g.IntervalStart == hour).ExecuteDeleteAsync(ct);
            await db.ReportHourOperators.Where(o => o.IntervalStart == hour).ExecuteDeleteAsync(ct);
            await db.ReportHourBranches.Where(b => b.IntervalStart == hour).ExecuteDeleteAsync(ct);
            await db.ReportHourTopics.Where(t => t.IntervalStart == hour).ExecuteDeleteAsync(ct);
            foreach (var (key, totals) in byGroup)
            {
                var row = new ReportHourGroup { IntervalStart = hour, SkillGroupId = key.SkillGroupId, ChannelId = key.ChannelId };
                row.Add(totals);
                db.ReportHourGroups.Add(row);
            }

            foreach (var (key, totals) in byOperator)
            {
                var row = new ReportHourOperator { IntervalStart = hour, OperatorId = key };
                row.Add(totals);
                db.ReportHourOperators.Add(row);
            }

            foreach (var (key, totals) in byBranch)
            {
                var row = new ReportHourBranch { IntervalStart = hour, BranchId = key.BranchId, RegionId = key.RegionId };
                row.Add(totals);
                db.ReportHourBranches.Add(row);
            }

            foreach (var (key, totals) in byTopic)
            {
                var row = new ReportHourTopic { IntervalStart = hour, Topic = key };
                row.Add(totals);
                db.ReportHourTopics.Add(row);
            }

            if (stamp is { } s)
            {
                await db.ReportDirtyHours.Where(h => h.HourStart == hour && h.Stamp == s).ExecuteDeleteAsync(ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }, cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Rebuilds the report data of a period from the source of truth (conversation events, messages, status history):
/// every conversation with an event in the period is recomputed in batches, the interval roll-up of every interval
/// they touch is rewritten as the sum of its contributions, and operator times are computed again. Safe to repeat;
/// meant for after an upgrade that changes a definition, or a restore. Live updates during a rebuild may be counted
/// twice in the intervals being rewritten — run it when the period is over, or repeat it afterwards.
/// </summary>
public sealed partial class RebuildReports(
    OmnichatDbContext db, OperatorTimeRollup rollup, ReportHourRollup hours, TimeProvider time, ILogger<RebuildReports> logger)
{
    public const int BatchSize = 500;

    public sealed record Result(long Conversations, long Contributions, long Intervals, DateTimeOffset From, DateTimeOffset To);

    public async Task<Result> HandleAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            throw new FieldValidationException("from", "'from' must be before 'to'.");
        }

        if (to - from > TimeSpan.FromDays(3660))
        {
            throw new FieldValidationException("to", "A rebuild covers at most ten years at once.");
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = time.GetUtcNow();
        long conversations = 0, contributions = 0;
        var low = Intervals.StartOf(from);
        var high = Intervals.StartOf(to) + Intervals.Seconds;
        var thresholds = await db.SkillGroups.AsNoTracking()
            .ToDictionaryAsync(g => g.Id, g => new GroupThresholds(g.ServiceLevelSeconds, g.ShortAbandonSeconds, g.WrapUpSeconds), cancellationToken);
        GroupThresholds Of(SkillGroupId? g) => g is { } id && thresholds.TryGetValue(id, out var t) ? t : GroupThresholds.Default;

        // 16 bytes per conversation: even millions of ids fit in memory comfortably.
        var touched = await db.ConversationEvents.AsNoTracking().Where(e => e.OccurredAt >= from && e.OccurredAt < to).Select(e => e.ConversationId).Distinct()
            .ToListAsync(cancellationToken);
        foreach (var ids in touched.Chunk(BatchSize))
        {
            var heads = await db.Conversations.AsNoTracking().IgnoreQueryFilters().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.ChannelId, c.SkillGroupId, c.OperatorId, c.BranchId, c.RegionId, c.Topic, c.CreatedAt, c.ClosedAt, c.Rating })
                .ToListAsync(cancellationToken);
            var events = (await db.ConversationEvents.AsNoTracking().Where(e => ids.Contains(e.ConversationId)).OrderBy(e => e.Id).ToListAsync(cancellationToken))
                .ToLookup(e => e.ConversationId);
            var messages = (await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId) && m.Direction != MessageDirection.Note)
                    .OrderBy(m => m.Seq).Select(m => new { m.ConversationId, m.Direction, m.AuthorKind, m.CreatedAt }).ToListAsync(cancellationToken))
                .ToLookup(m => m.ConversationId);

            // Old contributions may sit in intervals outside the period: those intervals are rewritten too.
            var oldRange = await db.ReportContributions.Where(p => ids.Contains(p.ConversationId))
                .GroupBy(p => 1).Select(g => new { Min = g.Min(p => p.IntervalStart), Max = g.Max(p => p.IntervalStart) }).FirstOrDefaultAsync(cancellationToken);
            if (oldRange is not null)
            {
                low = Math.Min(low, oldRange.Min);
                high = Math.Max(high, oldRange.Max + Intervals.Seconds);
            }

            var batch = new List<ConversationMetrics.Result>();
            foreach (var c in heads)
            {
                var input = new ConversationInput(c.Id, c.ChannelId, c.SkillGroupId, c.OperatorId, c.BranchId, c.RegionId, c.Topic, c.CreatedAt, c.ClosedAt,
                    c.Rating, [.. events[c.Id]], [.. messages[c.Id].Select(m => (m.Direction, m.AuthorKind, m.CreatedAt))]);
                var result = ConversationMetrics.Compute(input, Of, now);
                batch.Add(result);
                foreach (var p in result.Contributions)
                {
                    low = Math.Min(low, p.IntervalStart);
                    high = Math.Max(high, p.IntervalStart + Intervals.Seconds);
                }

                contributions += result.Contributions.Count;
            }

            await InTransactionAsync(async ct =>
            {
                await db.ReportContributions.Where(p => ids.Contains(p.ConversationId)).ExecuteDeleteAsync(ct);
                await db.ReportConversations.Where(p => ids.Contains(p.ConversationId)).ExecuteDeleteAsync(ct);
                await db.ReportHandlings.Where(p => ids.Contains(p.ConversationId)).ExecuteDeleteAsync(ct);
                foreach (var result in batch)
                {
                    db.ReportConversations.Add(result.Facts);
                    db.ReportContributions.AddRange(result.Contributions);
                    db.ReportHandlings.AddRange(result.Handlings);
                }

                await db.SaveChangesAsync(ct);
            }, cancellationToken);
            conversations += ids.Length;
            if (conversations % 50_000 < BatchSize)
            {
                LogProgress(logger, conversations);
            }
        }

        // The roll-up of every touched interval, rewritten as the sum of its contributions.
        var intervals = await RewriteIntervalsAsync(low, high, cancellationToken);

        // Operator times of the period (up to now).
        for (var interval = Intervals.StartOf(from); interval < Math.Min(Intervals.StartOf(to) + Intervals.Seconds, Intervals.StartOf(now) + Intervals.Seconds);
             interval += Intervals.Seconds)
        {
            await rollup.ComputeAsync(interval, now, cancellationToken);
        }

        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return new Result(conversations, contributions, intervals, from, to);
    }

    /// <summary>
    /// Rewrites the interval roll-up of [<paramref name="low"/>, <paramref name="high"/>) (Unix seconds, whole intervals)
    /// as the sum of the contributions, a day at a time, and the hourly roll-ups of those hours; returns the number of
    /// interval rows written.
    /// </summary>
    public async Task<long> RewriteIntervalsAsync(long low, long high, CancellationToken cancellationToken)
    {
        long intervals = 0;
        for (var day = low; day < high; day += 86400)
        {
            var end = Math.Min(day + 86400, high);
            var sums = await SumContributionsAsync(day, end, cancellationToken);
            await InTransactionAsync(async ct =>
            {
                await db.ReportIntervals.Where(i => i.IntervalStart >= day && i.IntervalStart < end).ExecuteDeleteAsync(ct);
                db.ReportIntervals.AddRange(sums);
                await db.SaveChangesAsync(ct);
            }, cancellationToken);
            intervals += sums.Count;

            // The hourly roll-ups of the day follow (interval starts are whole intervals, so hours start on the hour inside).
            for (var hour = ReportHourRollup.HourOf(day); hour < end; hour += ReportHourRollup.Seconds)
            {
                await hours.ComputeAsync(hour, null, cancellationToken);
            }
        }

        return intervals;
    }

    /// <summary>One unit of work in a transaction, retried as a whole by the provider's execution strategy.</summary>
    private Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await work(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }, cancellationToken);

    private async Task<List<ReportInterval>> SumContributionsAsync(long from, long to, CancellationToken cancellationToken)
    {
        var rows = db.ReportContributions.AsNoTracking().Where(p => p.IntervalStart >= from && p.IntervalStart < to);
        var sums = await RunReport.SumAsync(rows, p => new { p.IntervalStart, p.SkillGroupId, p.ChannelId, p.OperatorId, p.BranchId, p.RegionId, p.Topic },
            cancellationToken);
        return [.. sums.Select(s =>
        {
            var row = new ReportInterval
            {
                IntervalStart = s.Key.IntervalStart, SkillGroupId = s.Key.SkillGroupId, ChannelId = s.Key.ChannelId, OperatorId = s.Key.OperatorId,
                BranchId = s.Key.BranchId, RegionId = s.Key.RegionId, Topic = s.Key.Topic,
            };
            row.Add(s.Totals);
            return row;
        })];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report rebuild: {Conversations} conversations recomputed.")]
    private static partial void LogProgress(ILogger logger, long conversations);
}

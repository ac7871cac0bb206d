using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Computes operators' times in one 15-minute interval from the status history and the handling segments: time per
/// status (not-ready by reason), time with at least one conversation (engaged), conversation-time (for concurrency) and
/// time ready or engaged (for occupancy). The interval's rows are replaced, so computing it again is always safe.
/// </summary>
public sealed class OperatorTimeRollup(OmnichatDbContext db)
{
    public async Task ComputeAsync(long intervalStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var start = Intervals.ToTime(intervalStart);
        var end = Intervals.ToTime(intervalStart + Intervals.Seconds);
        if (end > now)
        {
            end = now;
        }

        var rows = new List<ReportOperatorInterval>();
        if (end > start)
        {
            // Each operator's status at the start (the last change before it), then the changes inside.
            var before = await db.Operators.AsNoTracking()
                .Select(o => new
                {
                    o.Id,

                    // Two scalar subqueries (each an index seek) rather than one projected row, which EF turns into a window over the whole history.
                    Status = db.OperatorStatusChanges.Where(c => c.OperatorId == o.Id && c.At < start).OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
                        .Select(c => (OperatorStatus?)c.Status).FirstOrDefault(),
                    Reason = db.OperatorStatusChanges.Where(c => c.OperatorId == o.Id && c.At < start).OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
                        .Select(c => c.Reason).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var inside = await db.OperatorStatusChanges.AsNoTracking().Where(c => c.At >= start && c.At < end).OrderBy(c => c.At).ThenBy(c => c.Id)
                .ToListAsync(cancellationToken);
            var spans = await db.ReportHandlings.AsNoTracking().Where(h => h.StartedAt < end && (h.EndedAt == null || h.EndedAt > start))
                .Select(h => new { h.OperatorId, h.StartedAt, h.EndedAt }).ToListAsync(cancellationToken);

            foreach (var op in before)
            {
                var changes = inside.Where(c => c.OperatorId == op.Id).ToList();
                var chats = spans.Where(s => s.OperatorId == op.Id)
                    .Select(s => (From: s.StartedAt < start ? start : s.StartedAt, To: s.EndedAt is { } e && e < end ? e : end)).Where(s => s.To > s.From).ToList();
                if ((op.Status is null || op.Status == OperatorStatus.Offline) && changes.Count == 0 && chats.Count == 0)
                {
                    continue;
                }

                // Status periods inside the interval.
                var periods = new List<(DateTimeOffset From, DateTimeOffset To, OperatorStatus Status, string Reason)>();
                var status = op.Status ?? OperatorStatus.Offline;
                var reason = op.Status is null ? "" : op.Reason ?? "";
                var at = start;
                foreach (var c in changes)
                {
                    periods.Add((at, c.At, status, reason));
                    (at, status, reason) = (c.At, c.Status, c.Reason ?? "");
                }

                periods.Add((at, end, status, reason));
                var totals = new Dictionary<(string, string), long>();
                void Add(string state, string why, long ms)
                {
                    if (ms > 0)
                    {
                        totals[(state, why)] = totals.GetValueOrDefault((state, why)) + ms;
                    }
                }

                foreach (var p in periods)
                {
                    var ms = (long)(p.To - p.From).TotalMilliseconds;
                    switch (p.Status)
                    {
                        case OperatorStatus.Ready: Add(OperatorStates.Ready, "", ms); break;
                        case OperatorStatus.NotReady: Add(OperatorStates.NotReady, p.Reason, ms); break;
                        default: Add(OperatorStates.Offline, "", ms); break;
                    }
                }

                Add(OperatorStates.Chats, "", chats.Sum(c => (long)(c.To - c.From).TotalMilliseconds));
                var engaged = Union(chats);
                Add(OperatorStates.Engaged, "", Length(engaged));
                var ready = periods.Where(p => p.Status == OperatorStatus.Ready).Select(p => (p.From, p.To));
                Add(OperatorStates.Available, "", Length(Union([.. engaged, .. ready])));
                rows.AddRange(totals.Select(t => new ReportOperatorInterval
                {
                    IntervalStart = intervalStart, OperatorId = op.Id, State = t.Key.Item1, Reason = t.Key.Item2, Ms = t.Value,
                }));
            }
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.ReportOperatorIntervals.Where(r => r.IntervalStart == intervalStart).ExecuteDeleteAsync(ct);
            await db.ReportDirtyIntervals.Where(d => d.IntervalStart == intervalStart).ExecuteDeleteAsync(ct);
            db.ReportOperatorIntervals.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }, cancellationToken);
    }

    private static List<(DateTimeOffset From, DateTimeOffset To)> Union(List<(DateTimeOffset From, DateTimeOffset To)> spans)
    {
        var merged = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var s in spans.OrderBy(s => s.From))
        {
            if (merged.Count > 0 && s.From <= merged[^1].To)
            {
                merged[^1] = (merged[^1].From, s.To > merged[^1].To ? s.To : merged[^1].To);
            }
            else
            {
                merged.Add(s);
            }
        }

        return merged;
    }

    private static long Length(List<(DateTimeOffset From, DateTimeOffset To)> spans) => spans.Sum(s => (long)(s.To - s.From).TotalMilliseconds);
}

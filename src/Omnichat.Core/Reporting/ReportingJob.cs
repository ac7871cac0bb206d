using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// The reporting worker (worker nodes): rolls operator times up for every interval up to now (the current one again
/// on each pass, past ones once they are over, and any a late change marked), computes the hourly roll-ups of changed
/// hours, starts due scheduled reports and deletes expired export files.
/// </summary>
public sealed partial class ReportingJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<OmnichatOptions> options, ILogger<ReportingJob> logger)
    : BackgroundService
{
    public const string RollupState = "operator-rollup";

    /// <summary>How far back a first run (or one after a long stop) catches up.</summary>
    public const int MaxCatchUpIntervals = 4 * 24 * 7;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.Reports.RollupInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var rollup = scope.ServiceProvider.GetRequiredService<OperatorTimeRollup>();
        var now = time.GetUtcNow();
        var current = Intervals.StartOf(now);
        var state = await db.ReportJobStates.AsNoTracking().FirstOrDefaultAsync(s => s.Name == RollupState, cancellationToken);
        var next = Math.Max(state?.Value ?? current - Intervals.Seconds, current - (MaxCatchUpIntervals * Intervals.Seconds));
        var dirty = await db.ReportDirtyIntervals.AsNoTracking().Select(d => d.IntervalStart).OrderBy(d => d).Take(200).ToListAsync(cancellationToken);
        foreach (var interval in dirty.Where(d => d < next))
        {
            await rollup.ComputeAsync(interval, now, cancellationToken);
        }

        for (var interval = next; interval <= current; interval += Intervals.Seconds)
        {
            await rollup.ComputeAsync(interval, now, cancellationToken);
        }

        // Hourly roll-ups of the hours whose interval rows changed (reports read those hours from the interval rows meanwhile).
        var hours = scope.ServiceProvider.GetRequiredService<ReportHourRollup>();
        for (var pass = 0; pass < 20; pass++)
        {
            if (await hours.ComputeMarkedAsync(200, cancellationToken) < 200)
            {
                break;
            }
        }

        // An interval is final a minute after it ended (late commits of other nodes land first); until then it is computed again.
        var final = Intervals.StartOf(now.AddMinutes(-1));
        var settled = final > next ? final : next;
        await UpsertStateAsync(db, RollupState, settled, cancellationToken);

        await scope.ServiceProvider.GetRequiredService<ReportSchedules>().StartDueAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ReportExports>().DeleteExpiredAsync(cancellationToken);
    }

    private static async Task UpsertStateAsync(OmnichatDbContext db, string name, long value, CancellationToken cancellationToken)
    {
        var row = await db.ReportJobStates.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            db.ReportJobStates.Add(new ReportJobState { Name = name, Value = value });
        }
        else
        {
            row.Value = value;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node wrote it first; its value is as good.
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A reporting pass failed; it runs again on the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

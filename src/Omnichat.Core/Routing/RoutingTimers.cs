using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>
/// Everything routing does because time passed: offers expire (missed → re-routed, operator optionally
/// not-ready), wrap-up ends, conversations overflow to backup groups and lower levels, the maximum
/// queue time action applies, operators whose workstation disappeared become not-ready, and every
/// queue is routed again as a safety net. Each change commits on its own under optimistic
/// concurrency, so several worker nodes may run the timers at once without doubling anything.
/// </summary>
public sealed partial class RoutingTimers(OmnichatDbContext db, RoutingEngine engine, TimeProvider time, IOptions<OmnichatOptions> options, ILogger<RoutingTimers> logger)
{
    public const string DisconnectedReason = "disconnected";
    public const string MissedOfferReason = "missed-offer";
    private const int Batch = 500;

    /// <summary>One sweep; returns the number of changes made (for tests and logs).</summary>
    public async Task<int> SweepAsync(bool routeAll, CancellationToken cancellationToken)
    {
        var changes = await ExpireOffersAsync(cancellationToken)
                      + await EndWrapUpsAsync(cancellationToken)
                      + await OverflowAsync(cancellationToken)
                      + await ApplyMaxQueueTimeAsync(cancellationToken)
                      + await MarkDisconnectedAsync(cancellationToken);
        if (routeAll)
        {
            changes += await engine.RouteAsync(null, cancellationToken);
        }

        return changes;
    }

    private async Task<int> ExpireOffersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Conversations.AsNoTracking()
            .Where(c => c.Status == ConversationStatus.Queued && c.OfferedOperatorId != null && c.OfferExpiresAt <= now)
            .OrderBy(c => c.OfferExpiresAt).Select(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var id in due)
        {
            done += await OneAsync(async () =>
            {
                var c = await db.Conversations.FirstAsync(x => x.Id == id, cancellationToken);
                if (c.OfferedOperatorId is null || c.OfferExpiresAt > now)
                {
                    return false;
                }

                var op = c.MissOffer(declined: false, now);
                await OperatorCapacity.ReleaseAsync(db, op, null, startWrapUp: false, now, cancellationToken);
                var notReady = await db.SkillGroups.Where(g => g.Id == c.SkillGroupId).Select(g => g.MissedOfferSetsNotReady).FirstOrDefaultAsync(cancellationToken);
                if (notReady)
                {
                    var o = await db.Operators.FirstAsync(x => x.Id == op, cancellationToken);
                    if (o.Status == OperatorStatus.Ready)
                    {
                        o.SetStatus(OperatorStatus.NotReady, MissedOfferReason, now);
                    }
                }

                return true;
            }, cancellationToken);
        }

        return done;
    }

    private async Task<int> EndWrapUpsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Operators.AsNoTracking().Where(o => o.WrapUpUntil != null && o.WrapUpUntil <= now)
            .Select(o => o.Id).Take(Batch).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var id in due)
        {
            done += await OneAsync(async () =>
            {
                var o = await db.Operators.FirstAsync(x => x.Id == id, cancellationToken);
                if (o.WrapUpUntil is null || o.WrapUpUntil > now)
                {
                    return false;
                }

                o.EndWrapUp(now);
                return true;
            }, cancellationToken);
        }

        return done;
    }

    private async Task<int> OverflowAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var groups = await db.SkillGroups.AsNoTracking().Where(g => g.OverflowAfterSeconds != null)
            .Select(g => new { g.Id, Seconds = g.OverflowAfterSeconds!.Value }).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var group in groups)
        {
            var threshold = now.AddSeconds(-group.Seconds);
            var due = await db.Conversations.AsNoTracking()
                .Where(c => c.Status == ConversationStatus.Queued && c.SkillGroupId == group.Id && c.OverflowedAt == null && c.QueuedAt <= threshold)
                .OrderBy(c => c.QueuedAt).Select(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
            foreach (var id in due)
            {
                done += await OneAsync(async () =>
                {
                    var c = await db.Conversations.FirstAsync(x => x.Id == id, cancellationToken);
                    if (c.Status != ConversationStatus.Queued || c.OverflowedAt is not null)
                    {
                        return false;
                    }

                    c.Overflow(now);
                    return true;
                }, cancellationToken);
            }
        }

        return done;
    }

    private async Task<int> ApplyMaxQueueTimeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var groups = await db.SkillGroups.AsNoTracking()
            .Where(g => g.MaxQueueSeconds != null && g.MaxQueueAction != MaxQueueAction.KeepWaiting)
            .Select(g => new { g.Id, Seconds = g.MaxQueueSeconds!.Value, g.MaxQueueAction, g.MaxQueueTargetGroupId, g.OfflineMessage })
            .ToListAsync(cancellationToken);
        var done = 0;
        foreach (var group in groups)
        {
            var threshold = now.AddSeconds(-group.Seconds);
            var due = await db.Conversations.AsNoTracking()
                .Where(c => c.Status == ConversationStatus.Queued && c.SkillGroupId == group.Id && c.OfferedOperatorId == null
                            && c.MaxQueueHandledAt == null && c.QueuedAt <= threshold)
                .OrderBy(c => c.QueuedAt).Select(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
            foreach (var id in due)
            {
                done += await OneAsync(async () =>
                {
                    var c = await db.Conversations.FirstAsync(x => x.Id == id, cancellationToken);
                    if (c.Status != ConversationStatus.Queued || c.OfferedOperatorId is not null || c.MaxQueueHandledAt is not null)
                    {
                        return false;
                    }

                    if (group.MaxQueueAction == MaxQueueAction.MoveToGroup && group.MaxQueueTargetGroupId is { } target && target != c.SkillGroupId)
                    {
                        c.TransferToGroup(target, null, Actor.System, now);
                        c.MaxQueueTimeReached("move-to-group", now);
                    }
                    else
                    {
                        c.MaxQueueTimeReached("offline-message", now);
                        c.AppendMessage(MessageDirection.Out, Actor.System, group.OfflineMessage ?? DefaultOfflineMessage, null, null, now);
                    }

                    return true;
                }, cancellationToken);
            }
        }

        return done;
    }

    /// <summary>Sent to a client who waited longer than the group's maximum queue time (when the group has no text of its own).</summary>
    public const string DefaultOfflineMessage =
        "Все операторы сейчас заняты. Ваше обращение сохранено — мы ответим, как только освободимся. / " +
        "All operators are busy right now. Your request is saved and we will answer as soon as we can.";

    private async Task<int> MarkDisconnectedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var threshold = now - options.Value.Routing.DisconnectGrace;
        var due = await db.Operators.AsNoTracking()
            .Where(o => o.Status == OperatorStatus.Ready && o.LastSeenAt != null && o.LastSeenAt < threshold)
            .Select(o => o.Id).Take(Batch).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var id in due)
        {
            done += await OneAsync(async () =>
            {
                var o = await db.Operators.FirstAsync(x => x.Id == id, cancellationToken);
                if (o.Status != OperatorStatus.Ready || o.LastSeenAt is null || o.LastSeenAt >= threshold)
                {
                    return false;
                }

                o.SetStatus(OperatorStatus.NotReady, DisconnectedReason, now);
                o.Seen(null);
                LogDisconnected(logger, o.Id);
                return true;
            }, cancellationToken);
        }

        return done;
    }

    // One change, one transaction; a concurrent change (another node, a request) wins and we move on.
    private async Task<int> OneAsync(Func<Task<bool>> change, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        try
        {
            if (!await change())
            {
                return 0;
            }

            await db.SaveChangesAsync(cancellationToken);
            return 1;
        }
        catch (DbUpdateConcurrencyException)
        {
            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {OperatorId} set not-ready: the workstation has been disconnected longer than the grace period")]
    private static partial void LogDisconnected(ILogger logger, OperatorId operatorId);
}

/// <summary>Runs <see cref="RoutingTimers"/> every sweep interval on worker nodes (every queue re-routed every fifth sweep).</summary>
public sealed partial class RoutingTimersService(IServiceScopeFactory scopes, TimeProvider time, IOptions<OmnichatOptions> options, ILogger<RoutingTimersService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweep = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RoutingTimers>().SweepAsync(routeAll: sweep++ % 5 == 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSweepFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.Routing.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing timer sweep failed; trying again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

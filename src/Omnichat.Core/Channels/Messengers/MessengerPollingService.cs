using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// Polling mode for installations without a public URL (Telegram getUpdates, VK Bots Long Poll): one long-poll loop
/// per enabled channel whose settings ask for it. Polled events go through the same inbox as webhooks (deduplicated
/// by key), and the cursor is saved after they are stored — a restart continues where it stopped, and a batch
/// fetched twice is stored once.
/// </summary>
public sealed partial class MessengerPollingService(
    IServiceScopeFactory scopes, MessengerAdapters adapters, MessengerSignals signals, MessengerHealth health, TimeProvider time,
    IOptions<MessengerOptions> options, ILogger<MessengerPollingService> logger) : BackgroundService
{
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new Dictionary<ChannelId, (CancellationTokenSource Stop, Task Loop, string Settings)>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var wanted = await PolledChannelsAsync(stoppingToken);
                    foreach (var (id, loop) in loops.ToList())
                    {
                        if (!wanted.TryGetValue(id, out var channel) || channel.Settings != loop.Settings || loop.Loop.IsCompleted)
                        {
                            await loop.Stop.CancelAsync();
                            loops.Remove(id);
                        }
                    }

                    foreach (var (id, channel) in wanted)
                    {
                        if (!loops.ContainsKey(id))
                        {
                            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                            loops[id] = (stop, PollLoopAsync(id, stop.Token), channel.Settings);
                        }
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogScanFailed(logger, ex);
                }

                await signals.WaitForChannelsAsync(Rescan, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            foreach (var loop in loops.Values)
            {
                await loop.Stop.CancelAsync();
                loop.Stop.Dispose();
            }
        }
    }

    private async Task<Dictionary<ChannelId, Channel>> PolledChannelsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var kinds = adapters.All.OfType<IPollingMessengerAdapter>().Select(a => a.Kind).ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => c.Enabled && kinds.Contains(c.Kind)).ToListAsync(cancellationToken);
        return channels.Where(c => adapters.Find(c.Kind) is IPollingMessengerAdapter p && p.UsesPolling(MessengerChannel.From(c)))
            .ToDictionary(c => c.Id);
    }

    private async Task PollLoopAsync(ChannelId id, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
                var channel = await db.Channels.AsNoTracking().FirstAsync(c => c.Id == id, stoppingToken);
                var adapter = (IPollingMessengerAdapter)adapters.Find(channel.Kind)!;
                var cursor = await db.MessengerPollCursors.FirstOrDefaultAsync(c => c.ChannelId == id, stoppingToken);
                var batch = await adapter.PollAsync(MessengerChannel.From(channel), cursor?.Cursor, stoppingToken);
                health.Received(id);
                var (stored, _) = await AcceptWebhook.StoreAsync(db, time, id, batch.Events, stoppingToken);
                if (batch.Cursor is { } next && next != cursor?.Cursor)
                {
                    if (cursor is null)
                    {
                        db.MessengerPollCursors.Add(new MessengerPollCursor { ChannelId = id, Cursor = next, UpdatedAt = time.GetUtcNow() });
                    }
                    else
                    {
                        cursor.Cursor = next;
                        cursor.UpdatedAt = time.GetUtcNow();
                    }

                    await db.SaveChangesAsync(stoppingToken);
                }

                if (stored > 0)
                {
                    signals.InboxHasWork();
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                health.Failed(id, "poll: " + ex.Message);
                LogPollFailed(logger, ex, id.Value);
                try
                {
                    await Task.Delay(Backoff.Delay(failures, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for polled messenger channels failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling channel {ChannelId} failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, Guid channelId);
}

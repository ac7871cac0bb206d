using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// Works through the inbox: each due event is claimed (so two workers never apply it together), interpreted by its
/// adapter and applied; a failure (the vendor's file server down, a database hiccup) is retried with back-off and
/// ends as failed with the error after the last attempt. Applying twice is harmless (message keys, forward-only marks).
/// </summary>
public sealed partial class ProcessInboundEvents(
    IServiceScopeFactory scopes, MessengerAdapters adapters, TimeProvider time, IOptions<MessengerOptions> options, ILogger<ProcessInboundEvents> logger)
{
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var now = time.GetUtcNow();
        var due = await db.InboundEvents.AsNoTracking()
            .Where(e => e.Status == InboundEventStatus.Pending && (e.NextAttemptAt == null || e.NextAttemptAt <= now)
                        && (e.ClaimedUntil == null || e.ClaimedUntil < now))
            .OrderBy(e => e.Id).Select(e => e.Id).Take(50).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var id in due)
        {
            var claimUntil = time.GetUtcNow() + options.Value.ClaimDuration;
            var claimed = await db.InboundEvents
                .Where(e => e.Id == id && e.Status == InboundEventStatus.Pending && (e.ClaimedUntil == null || e.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntil, claimUntil), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            await using var work = scopes.CreateAsyncScope();
            var workDb = work.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            var inbound = await workDb.InboundEvents.AsNoTracking().FirstAsync(e => e.Id == id, cancellationToken);
            string? error = null;
            try
            {
                var channel = await workDb.Channels.AsNoTracking().FirstAsync(c => c.Id == inbound.ChannelId, cancellationToken);
                var adapter = adapters.Find(channel.Kind) ?? throw new InvalidOperationException($"No adapter for {channel.Kind}.");
                var messenger = MessengerChannel.From(channel);
                var items = adapter.Interpret(messenger, inbound.Payload);
                await work.ServiceProvider.GetRequiredService<ReceiveMessengerItems>().ApplyAsync(adapter, messenger, inbound.Key, items, cancellationToken);
                done++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                error = ex.Message;
                LogFailed(logger, ex, inbound.Key, inbound.ChannelId.Value);
            }

            db.ChangeTracker.Clear();
            var row = await db.InboundEvents.FirstAsync(e => e.Id == id, CancellationToken.None);
            row.Attempts++;
            row.ClaimedUntil = null;
            if (error is null)
            {
                row.Status = InboundEventStatus.Done;
                row.ProcessedAt = time.GetUtcNow();
                row.LastError = null;
            }
            else
            {
                row.LastError = MessengerDelivery.Trim(error);
                if (row.Attempts >= options.Value.MaxInboundAttempts)
                {
                    row.Status = InboundEventStatus.Failed;
                }
                else
                {
                    row.NextAttemptAt = time.GetUtcNow() + Backoff.Delay(row.Attempts, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);
                }
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }

        return done;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound event {Key} of channel {ChannelId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string key, Guid channelId);
}

/// <summary>Exponential back-off with full jitter: a random delay up to first·2^(attempt−1), capped.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max)
    {
        var ceiling = first * Math.Pow(2, Math.Min(attempt - 1, 20));
        if (ceiling > max)
        {
            ceiling = max;
        }

        // Half fixed, half random: never zero, and retries of many messages spread out.
        return ceiling / 2 + ceiling / 2 * Random.Shared.NextDouble();
    }
}

public sealed class MessengerOptions
{
    public const string Section = "Omnichat:Messengers";

    /// <summary>How often the workers look for due work when nothing woke them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An outbound message still failing temporarily after this long is marked failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    public int MaxInboundAttempts { get; set; } = 8;

    /// <summary>Timeout of one vendor API call (long polls add their own wait).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The public base URL vendors reach webhooks at (for webhook registration and file links), e.g. https://chat.example.com.</summary>
    public string? PublicUrl { get; set; }
}

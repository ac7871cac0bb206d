using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Omnichat.Core.Kernel.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Omnichat:Outbox";

    /// <summary>How often the outbox is polled when no commit signalled new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 200;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Delivers committed outbox rows through the <see cref="IEventTransport"/>: at least once, in commit
/// order per stream. A failing event is retried with exponential back-off and holds back only the
/// later events of its own stream; other streams keep flowing. Rows are marked dispatched only after
/// the transport confirmed delivery, so events committed before a crash are delivered after restart.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopeFactory,
    IEventTransport transport,
    DomainEventSerializer serializer,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Dispatches everything due now; returns the number of events delivered.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        // One pass at a time in this process keeps per-stream order.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            while (true)
            {
                var (delivered, fetched) = await DispatchBatchAsync(cancellationToken);
                total += delivered;
                if (fetched < options.Value.BatchSize || delivered == 0)
                {
                    return total;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(int Delivered, int Fetched)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var batch = await db.OutboxMessages
            .Where(m => m.DispatchedAt == null)
            .OrderBy(m => m.Id)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);

        var now = time.GetUtcNow();
        var heldStreams = new HashSet<string>(StringComparer.Ordinal);
        var delivered = 0;
        var unmarked = new List<long>();
        foreach (var message in batch)
        {
            if (heldStreams.Contains(message.StreamKey))
            {
                continue;
            }

            if (message.NextAttemptAt is { } due && due > now)
            {
                heldStreams.Add(message.StreamKey);
                continue;
            }

            try
            {
                var envelope = new EventEnvelope(message.EventId, message.Id, message.StreamKey, message.OccurredAt,
                    serializer.Deserialize(message.Type, message.Payload));
                await transport.PublishAsync(envelope, cancellationToken);
                unmarked.Add(message.Id);
                delivered++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Any listener failure must not stop the dispatcher: record it and retry later.
                message.Attempts++;
                message.LastError = Truncate(ex.ToString(), 4000);
                message.NextAttemptAt = time.GetUtcNow() + RetryDelay(message.Attempts);
                heldStreams.Add(message.StreamKey);
                LogDeliveryFailed(logger, ex, message.Type, message.EventId, message.Attempts);
                await db.SaveChangesAsync(CancellationToken.None);
            }

            if (unmarked.Count >= MarkEvery)
            {
                await MarkDispatchedAsync(db, unmarked);
            }
        }

        // Marked in small groups: one write per group instead of per event. A crash re-delivers at most
        // the unmarked group — listeners are at-least-once by contract.
        await MarkDispatchedAsync(db, unmarked);
        return (delivered, batch.Count);
    }

    private const int MarkEvery = 20;

    private async Task MarkDispatchedAsync(OmnichatDbContext db, List<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var at = time.GetUtcNow();
        await db.OutboxMessages.Where(m => ids.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DispatchedAt, at).SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
        ids.Clear();
    }

    public void Dispose() => _gate.Dispose();

    private TimeSpan RetryDelay(int attempts)
    {
        var delay = options.Value.FirstRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {EventType} {EventId} failed (attempt {Attempts}); it will be retried")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string eventType, Guid eventId, int attempts);
}

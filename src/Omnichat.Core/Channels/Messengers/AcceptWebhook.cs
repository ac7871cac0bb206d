using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// A vendor's webhook: the adapter verifies the signature over the raw body and splits it into events; each
/// event is stored once in the inbox (a redelivery with the same key is dropped) before the vendor gets its
/// answer. Processing happens afterwards, so the answer is fast and nothing acknowledged is lost.
/// </summary>
public static partial class AcceptWebhook
{
    public sealed record Result(int StatusCode, string? ResponseText, string? Problem, int Stored, int Duplicates);

    public sealed partial class Handler(
        OmnichatDbContext db, MessengerAdapters adapters, MessengerSignals signals, MessengerHealth health, TimeProvider time, ILogger<Handler> logger)
    {
        public async Task<Result> HandleAsync(string kind, Guid channelId, IReadOnlyDictionary<string, string> headers, byte[] body,
            CancellationToken cancellationToken)
        {
            var adapter = adapters.Find(kind);
            var channel = adapter is null ? null : await db.Channels.AsNoTracking()
                .FirstOrDefaultAsync(c => c.Id == ChannelId.From(channelId) && c.Kind == adapter.Kind, cancellationToken);
            if (adapter is null || channel is null)
            {
                return new Result(404, null, "No such messenger channel.", 0, 0);
            }

            if (!channel.Enabled)
            {
                // The vendor keeps redelivering a non-2xx answer; a disabled channel drops what arrives.
                LogDisabled(logger, channel.Id.Value);
                return new Result(200, "ok", null, 0, 0);
            }

            var messenger = MessengerChannel.From(channel);
            var reading = adapter.ReadWebhook(messenger, headers, body);
            if (reading.StatusCode >= 400)
            {
                LogRejected(logger, channel.Id.Value, reading.StatusCode, reading.Problem ?? "");
                return new Result(reading.StatusCode, null, reading.Problem, 0, 0);
            }

            var (stored, duplicates) = await StoreAsync(db, time, channel.Id, reading.Events, cancellationToken);
            health.Received(channel.Id);
            if (stored > 0)
            {
                signals.InboxHasWork();
            }

            return new Result(reading.StatusCode, reading.ResponseText, null, stored, duplicates);
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for channel {ChannelId} rejected with {Status}: {Problem}")]
        private static partial void LogRejected(ILogger logger, Guid channelId, int status, string problem);

        [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for disabled channel {ChannelId} dropped")]
        private static partial void LogDisabled(ILogger logger, Guid channelId);
    }

    /// <summary>Stores events once each (by channel and key); returns how many were new and how many repeats.</summary>
    public static async Task<(int Stored, int Duplicates)> StoreAsync(OmnichatDbContext db, TimeProvider time, ChannelId channelId,
        IReadOnlyList<RawEvent> events, CancellationToken cancellationToken)
    {
        var stored = 0;
        var duplicates = 0;
        foreach (var e in events)
        {
            var key = e.Key.Length <= InboundEvent.MaxKeyLength ? e.Key : e.Key[..InboundEvent.MaxKeyLength];
            if (await db.InboundEvents.AnyAsync(x => x.ChannelId == channelId && x.Key == key, cancellationToken))
            {
                duplicates++;
                continue;
            }

            db.InboundEvents.Add(new InboundEvent
            {
                Id = Guid.CreateVersion7(),
                ChannelId = channelId,
                Key = key,
                Payload = e.Json,
                Status = InboundEventStatus.Pending,
                ReceivedAt = time.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                stored++;
            }
            catch (DbUpdateException)
            {
                // A concurrent redelivery stored the same key first (unique index): nothing is lost.
                db.ChangeTracker.Clear();
                duplicates++;
            }
        }

        return (stored, duplicates);
    }
}

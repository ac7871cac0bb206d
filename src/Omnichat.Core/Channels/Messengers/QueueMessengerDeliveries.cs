using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// An operator's (or bot's) message in a messenger conversation is queued for the vendor exactly once: the
/// delivery row commits with the listener's inbox record. Private notes and system lines stay inside Omnichat.
/// </summary>
public sealed class QueueMessengerMessages(OmnichatDbContext db, TimeProvider clock, MessengerAdapters adapters, MessengerSignals signals)
    : IdempotentListener<MessageAppended>(db, clock)
{
    protected override bool Concerns(MessageAppended domainEvent) =>
        domainEvent is { Direction: MessageDirection.Out, AuthorKind: ActorKind.Operator or ActorKind.Bot };

    protected override async Task HandleOnceAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        if (await MessengerRecipients.QueueAsync(Db, adapters, domainEvent.ConversationId, domainEvent.MessageId, MessengerDeliveryKind.Message,
                Clock.GetUtcNow(), cancellationToken))
        {
            signals.OutboxHasWork();
        }
    }
}

/// <summary>After a messenger conversation closes, the client gets the 1–5 rating buttons (unless the channel turns them off).</summary>
public sealed class QueueRatingPrompts(OmnichatDbContext db, TimeProvider clock, MessengerAdapters adapters, MessengerSignals signals)
    : IdempotentListener<ConversationClosed>(db, clock)
{
    protected override async Task HandleOnceAsync(EventEnvelope envelope, ConversationClosed domainEvent, CancellationToken cancellationToken)
    {
        if (await MessengerRecipients.QueueAsync(Db, adapters, domainEvent.ConversationId, null, MessengerDeliveryKind.RatingPrompt,
                Clock.GetUtcNow(), cancellationToken))
        {
            signals.OutboxHasWork();
        }
    }
}

internal static class MessengerRecipients
{
    public static async Task<bool> QueueAsync(OmnichatDbContext db, MessengerAdapters adapters, ConversationId conversationId, MessageId? messageId,
        MessengerDeliveryKind kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == conversationId)
            .Join(db.Channels, c => c.ChannelId, ch => ch.Id, (c, ch) => new { c.ClientId, c.LastMessageSeq, Channel = ch })
            .FirstOrDefaultAsync(cancellationToken);
        if (target is null || target.Channel.Kind == ChannelKind.Webchat || adapters.Find(target.Channel.Kind) is null)
        {
            return false;
        }

        if (kind == MessengerDeliveryKind.RatingPrompt && MessengerChannel.From(target.Channel).Setting("ratingPrompt") == "false")
        {
            return false;
        }

        var prefix = $"{target.Channel.Id.Value:N}:";
        var identity = await db.Set<Clients.ClientIdentity>().AsNoTracking()
            .Where(i => i.ClientId == target.ClientId && i.ChannelKind == target.Channel.Kind && i.ExternalId.StartsWith(prefix))
            .OrderByDescending(i => i.CreatedAt).Select(i => i.ExternalId).FirstOrDefaultAsync(cancellationToken);
        // One delivery per part — the text, then each file — so a retry never repeats a part the vendor already has.
        var parts = new List<AttachmentId?>();
        var seq = target.LastMessageSeq;
        if (messageId is { } id)
        {
            var message = await db.Messages.AsNoTracking().Where(m => m.Id == id)
                .Select(m => new { m.Seq, m.Text, Files = m.Attachments.OrderBy(a => a.CreatedAt).Select(a => a.Id).ToList() })
                .FirstAsync(cancellationToken);
            seq = message.Seq;
            if (!string.IsNullOrEmpty(message.Text))
            {
                parts.Add(null);
            }

            parts.AddRange(message.Files.Select(f => (AttachmentId?)f));
        }
        else
        {
            parts.Add(null);
        }

        for (var i = 0; i < parts.Count; i++)
        {
            var delivery = new MessengerDelivery
            {
                Id = Guid.CreateVersion7(),
                ChannelId = target.Channel.Id,
                ConversationId = conversationId,
                MessageId = messageId,
                AttachmentId = parts[i],
                Kind = kind,
                Position = seq * 100 + (messageId is null ? 99 : Math.Min(i, 98)),
                Recipient = identity?[prefix.Length..] ?? "",
                IdempotencyKey = RandomNumberGenerator.GetInt32(1, int.MaxValue) * 2_147_483_648L + RandomNumberGenerator.GetInt32(int.MaxValue),
                Status = MessengerDeliveryStatus.Pending,
                CreatedAt = now,
            };
            db.MessengerDeliveries.Add(delivery);
            if (identity is null)
            {
                // The client's messenger identity was split off to another client: there is no one to send to.
                delivery.MarkFailed("The client has no identity in this messenger channel any more.");
                await MessengerDispatcher.SetMessageStatusAsync(db, delivery, Conversations.DeliveryStatus.Failed, cancellationToken);
            }
        }

        return identity is not null;
    }
}

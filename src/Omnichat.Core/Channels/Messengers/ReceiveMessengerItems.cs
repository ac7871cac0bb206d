using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Access;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Files;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// What one stored vendor event means, applied: a client's message joins their open conversation in the channel
/// (or opens one) exactly once — the event key is the message's idempotency key; a pressed rating button or a
/// bare digit 1–5 right after a closed conversation rates it; receipts move delivery marks.
/// </summary>
public sealed partial class ReceiveMessengerItems(
    OmnichatDbContext db, SendClientMessage.Handler send, RateConversation.Handler rate, UploadFile.Handler upload,
    TimeProvider time, ILogger<ReceiveMessengerItems> logger)
{
    /// <summary>How long after closing a bare digit still counts as the rating.</summary>
    public static readonly TimeSpan RatingWindow = TimeSpan.FromHours(24);

    public async Task ApplyAsync(IMessengerAdapter adapter, MessengerChannel channel, string eventKey, IReadOnlyList<InboundItem> items,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var key = items.Count == 1 ? eventKey : $"{eventKey}#{i}";
            switch (items[i])
            {
                case InboundMessage message:
                    await MessageAsync(adapter, channel, key, message, cancellationToken);
                    break;
                case DeliveryReceipt receipt:
                    await ReceiptAsync(channel, receipt, cancellationToken);
                    break;
                case ReadUpTo read:
                    await ReadUpToAsync(channel, read, cancellationToken);
                    break;
                case UserUnsubscribed unsubscribed:
                    LogUnsubscribed(logger, channel.Id.Value, unsubscribed.UserId);
                    break;
            }
        }
    }

    private async Task MessageAsync(IMessengerAdapter adapter, MessengerChannel channel, string key, InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.CallbackId is { } callback)
        {
            await adapter.AcknowledgeAsync(channel, callback, cancellationToken);
        }

        var clientId = await FindOrCreateClientAsync(channel, message, cancellationToken);
        var principal = new ClientPrincipal(clientId, channel.Id, "");
        if (RatingScore(message) is { } score && await RatableAsync(clientId, channel.Id, cancellationToken) is { } ratable)
        {
            try
            {
                await rate.HandleAsync(principal, new RateConversation.Request(ratable, score, null), cancellationToken);
            }
            catch (ConflictException)
            {
                // Rated already (a second press): nothing more to do.
            }

            return;
        }

        if (message.Payload is not null && message.Payload.StartsWith("rate:", StringComparison.Ordinal))
        {
            return; // a rating button pressed when there is nothing (left) to rate
        }

        if (await MessageRules.FindBySenderKeyAsync(db, clientId.ToString(), key, cancellationToken) is not null)
        {
            return; // applied before (a retried pass): do not fetch its files again
        }

        var text = message.Text;
        var attachmentIds = new List<Guid>();
        foreach (var file in message.Files.Take(PendingUploads.MaxPerMessage))
        {
            var refusal = await FetchAsync(adapter, channel, clientId, file, attachmentIds, cancellationToken);
            if (refusal is not null)
            {
                text = string.IsNullOrEmpty(text) ? refusal : text + "\n" + refusal;
            }
        }

        if (string.IsNullOrWhiteSpace(text) && attachmentIds.Count == 0)
        {
            return; // e.g. a sticker only: nothing an operator can read
        }

        if (text is { Length: > Message.MaxTextLength })
        {
            text = text[..Message.MaxTextLength];
        }

        await send.HandleAsync(principal, new SendClientMessage.Request(key, text, attachmentIds), cancellationToken);
    }

    /// <summary>Downloads and stores one file; returns a readable note instead when it cannot be taken.</summary>
    private async Task<string?> FetchAsync(IMessengerAdapter adapter, MessengerChannel channel, ClientId clientId, InboundFile file,
        List<Guid> attachmentIds, CancellationToken cancellationToken)
    {
        var name = file.FileName ?? "file";
        try
        {
            var downloaded = await adapter.DownloadAsync(channel, file, cancellationToken);
            if (downloaded is null)
            {
                return $"[{name}: the messenger no longer has this file]";
            }

            await using (downloaded.Content)
            {
                var stored = await upload.ForMessengerClientAsync(channel.Id, clientId, downloaded.FileName, downloaded.Content, cancellationToken);
                attachmentIds.Add(stored.Id);
                return null;
            }
        }
        catch (FieldValidationException refused)
        {
            return $"[{name}: {refused.Message}]";
        }
        catch (TooManyRequestsException refused)
        {
            return $"[{name}: {refused.Message}]";
        }
    }

    private static int? RatingScore(InboundMessage message)
    {
        if (message.Payload is { } payload && payload.StartsWith("rate:", StringComparison.Ordinal)
            && int.TryParse(payload.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var pressed) && pressed is >= 1 and <= 5)
        {
            return pressed;
        }

        var text = message.Text?.Trim();
        return message.Files.Count == 0 && text is { Length: 1 } && text[0] is >= '1' and <= '5' ? text[0] - '0' : null;
    }

    /// <summary>The client's conversation waiting for a rating: closed within the window, not rated, nothing open since.</summary>
    private async Task<Guid?> RatableAsync(ClientId clientId, ChannelId channelId, CancellationToken cancellationToken)
    {
        var latest = await db.Conversations.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.ChannelId == channelId)
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => new { c.Id, c.Status, c.ClosedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return latest is { Status: ConversationStatus.Closed, ClosedAt: { } closedAt } && time.GetUtcNow() - closedAt <= RatingWindow
            ? latest.Id.Value : null;
    }

    private async Task ReceiptAsync(MessengerChannel channel, DeliveryReceipt receipt, CancellationToken cancellationToken)
    {
        var delivery = await db.MessengerDeliveries
            .FirstOrDefaultAsync(d => d.ChannelId == channel.Id && d.VendorMessageId == receipt.VendorMessageId, cancellationToken);
        if (delivery?.MessageId is not { } messageId)
        {
            return; // not ours (or the rating prompt)
        }

        var message = await db.Messages.FirstAsync(m => m.Id == messageId, cancellationToken);
        var before = message.DeliveryStatus;
        message.SetDeliveryStatus(receipt.Status);
        if (message.DeliveryStatus != before)
        {
            delivery.Receipt(message.DeliveryStatus, receipt.Error);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Marks read every sent message to the user whose vendor id is not above the one read.</summary>
    private async Task ReadUpToAsync(MessengerChannel channel, ReadUpTo read, CancellationToken cancellationToken)
    {
        var sent = await db.MessengerDeliveries
            .Where(d => d.ChannelId == channel.Id && d.Recipient == read.UserId && d.Status == MessengerDeliveryStatus.Sent
                        && d.MessageId != null && d.VendorMessageId != null
                        && db.Messages.Any(m => m.Id == d.MessageId && m.DeliveryStatus != DeliveryStatus.Read && m.DeliveryStatus != DeliveryStatus.Failed))
            .ToListAsync(cancellationToken);
        var changed = false;
        foreach (var delivery in sent.Where(d => long.TryParse(d.VendorMessageId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id <= read.VendorMessageId))
        {
            var message = await db.Messages.FirstAsync(m => m.Id == delivery.MessageId, cancellationToken);
            message.SetDeliveryStatus(DeliveryStatus.Read);
            delivery.Receipt(DeliveryStatus.Read, null);
            changed = true;
        }

        if (changed)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<ClientId> FindOrCreateClientAsync(MessengerChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        var externalId = ExternalId(channel.Id, message.UserId);
        for (var attempt = 0; ; attempt++)
        {
            var client = await db.Clients.Include(c => c.Identities)
                .Where(c => c.Identities.Any(i => i.ChannelKind == channel.Kind && i.ExternalId == externalId))
                .FirstOrDefaultAsync(cancellationToken);
            var now = time.GetUtcNow();
            var name = string.IsNullOrWhiteSpace(message.UserName) ? null : Clip(message.UserName.Trim(), Client.MaxNameLength);
            if (client is not null)
            {
                if ((client.DisplayName is null && name is not null) || (client.Phone is null && message.Phone is not null))
                {
                    client.UpdateContacts(client.DisplayName ?? name, client.Phone ?? Clip(message.Phone, Client.MaxPhoneLength), client.Email, now);
                    await db.SaveChangesAsync(cancellationToken);
                }

                return client.Id;
            }

            client = Client.Create(name, Clip(message.Phone, Client.MaxPhoneLength), null, now);
            client.AddIdentity(channel.Kind, externalId, verified: false, now);
            db.Clients.Add(client);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return client.Id;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                db.ChangeTracker.Clear(); // the same user's concurrent first message created the client
            }
        }
    }

    /// <summary>A messenger user's identity: scoped by channel, since vendor user ids are per bot or community.</summary>
    public static string ExternalId(ChannelId channel, string userId) => $"{channel.Value:N}:{userId}";

    private static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: user {UserId} unsubscribed or blocked the bot")]
    private static partial void LogUnsubscribed(ILogger logger, Guid channelId, string userId);
}

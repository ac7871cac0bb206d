using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

public enum InboundEventStatus
{
    Pending,
    Done,
    Failed,
}

/// <summary>
/// A verified vendor event, stored before the webhook is acknowledged (the inbox): unique by channel and the
/// vendor's key, so a redelivery is recognised and dropped; processed afterwards, retried on failure.
/// </summary>
public sealed class InboundEvent
{
    public const int MaxKeyLength = 200;

    public Guid Id { get; set; }

    public ChannelId ChannelId { get; set; }

    public string Key { get; set; } = "";

    public string Payload { get; set; } = "";

    public InboundEventStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}

public enum MessengerDeliveryKind
{
    Message,
    RatingPrompt,
}

public enum MessengerDeliveryStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// One outbound item for a messenger: an operator's message or the rating prompt. Queued in the transaction that
/// handled the event, claimed by one worker at a time, retried with back-off; its status moves the message's
/// delivery mark (sent → delivered → read, or failed).
/// </summary>
public sealed class MessengerDelivery : AggregateRoot
{
    public const int MaxErrorLength = 1000;

    public Guid Id { get; set; }

    public ChannelId ChannelId { get; set; }

    public ConversationId ConversationId { get; set; }

    /// <summary>The message sent; null for the rating prompt.</summary>
    public MessageId? MessageId { get; set; }

    /// <summary>The message's file this part sends; null for the text part.</summary>
    public AttachmentId? AttachmentId { get; set; }

    public MessengerDeliveryKind Kind { get; set; }

    /// <summary>Order within the conversation: the message's sequence number × 100 + the part (the rating prompt after the last message).</summary>
    public long Position { get; set; }

    /// <summary>The vendor's user/chat id.</summary>
    public string Recipient { get; set; } = "";

    /// <summary>Stable across retries (VK <c>random_id</c>): the vendor drops a repeat.</summary>
    public long IdempotencyKey { get; set; }

    public MessengerDeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    public string? LastError { get; set; }

    /// <summary>The vendor's id of the sent message: delivery and read receipts refer to it.</summary>
    public string? VendorMessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public void MarkSent(string? vendorMessageId, bool delivered, DateTimeOffset now)
    {
        Status = MessengerDeliveryStatus.Sent;
        VendorMessageId = vendorMessageId;
        SentAt = now;
        LastError = null;
        Changed(delivered ? DeliveryStatus.Delivered : DeliveryStatus.Sent, null);
    }

    public void MarkFailed(string error)
    {
        Status = MessengerDeliveryStatus.Failed;
        LastError = Trim(error);
        Changed(DeliveryStatus.Failed, LastError);
    }

    /// <summary>A receipt from the vendor (delivered, read, failed after sending).</summary>
    public void Receipt(DeliveryStatus status, string? error)
    {
        if (status == DeliveryStatus.Failed)
        {
            LastError = Trim(error ?? "The messenger reported the message as not delivered.");
        }

        Changed(status, status == DeliveryStatus.Failed ? LastError : null);
    }

    private void Changed(DeliveryStatus status, string? error)
    {
        if (MessageId is { } id)
        {
            Raise(new MessageDeliveryChanged(ConversationId, id, status, error));
        }
    }

    public static string Trim(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
}

/// <summary>Where a polled channel continues from (Telegram update offset, VK long-poll server and ts).</summary>
public sealed class MessengerPollCursor
{
    public ChannelId ChannelId { get; set; }

    public string Cursor { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A message's delivery mark changed (sent through the vendor, delivered, read, failed with a reason).</summary>
public sealed record MessageDeliveryChanged(ConversationId ConversationId, MessageId MessageId, DeliveryStatus Status, string? Error)
    : IConversationDomainEvent;

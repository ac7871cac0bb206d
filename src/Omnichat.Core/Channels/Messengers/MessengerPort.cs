using System.Text.Json.Nodes;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// One messenger (Viber, VK, Telegram, the generic API channel): verifies and splits its webhooks, maps its
/// events to <see cref="InboundItem"/>s, sends through its API. Implemented in Omnichat.Channels, one folder per
/// vendor; the core never sees a vendor's wire format.
/// </summary>
public interface IMessengerAdapter
{
    ChannelKind Kind { get; }

    /// <summary>Checks a channel's settings on create/update: null when valid, else the field (under <c>settings.</c>) and why.</summary>
    (string Field, string Message)? ValidateSettings(JsonObject settings);

    /// <summary>
    /// Verifies a webhook request over the raw body (constant time) and splits it into events with their
    /// vendor dedupe keys, or answers it (handshakes). Never throws for bad input: it answers 4xx.
    /// </summary>
    WebhookReading ReadWebhook(MessengerChannel channel, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body);

    /// <summary>Maps one stored event to what it means; unknown events map to nothing.</summary>
    IReadOnlyList<InboundItem> Interpret(MessengerChannel channel, string eventJson);

    /// <summary>Fetches an inbound file the event referred to; null when the vendor no longer has it.</summary>
    Task<DownloadedFile?> DownloadAsync(MessengerChannel channel, InboundFile file, CancellationToken cancellationToken);

    /// <summary>Sends one outbound item; never throws for vendor or network errors — the outcome says what happened.</summary>
    Task<SendOutcome> SendAsync(MessengerChannel channel, OutboundItem item, CancellationToken cancellationToken);

    /// <summary>Acknowledges a pressed inline button (Telegram callback queries); best effort.</summary>
    Task AcknowledgeAsync(MessengerChannel channel, string callbackId, CancellationToken cancellationToken);

    /// <summary>Points the vendor's webhook at <paramref name="url"/> (or explains what the administrator must do).</summary>
    Task<SetupOutcome> RegisterWebhookAsync(MessengerChannel channel, Uri url, CancellationToken cancellationToken);

    /// <summary>Checks the credentials against the vendor (who the bot is).</summary>
    Task<SetupOutcome> TestConnectionAsync(MessengerChannel channel, CancellationToken cancellationToken);
}

/// <summary>A vendor that can be polled (Telegram getUpdates, VK Bots Long Poll) for installations without a public URL.</summary>
public interface IPollingMessengerAdapter : IMessengerAdapter
{
    /// <summary>True when the channel's settings ask for polling instead of a webhook.</summary>
    bool UsesPolling(MessengerChannel channel);

    /// <summary>
    /// Waits (long poll) for the next batch of events after <paramref name="cursor"/>; returns them with their dedupe
    /// keys and the cursor to continue from (kept by the caller).
    /// </summary>
    Task<PollBatch> PollAsync(MessengerChannel channel, string? cursor, CancellationToken cancellationToken);
}

/// <summary>What an adapter needs of a channel.</summary>
public sealed record MessengerChannel(ChannelId Id, ChannelKind Kind, string Name, string Secret, JsonObject Settings)
{
    public static MessengerChannel From(Channel channel) =>
        new(channel.Id, channel.Kind, channel.Name, channel.Secret, JsonNode.Parse(channel.Settings)?.AsObject() ?? []);

    public string? Setting(string name) => Settings.TryGetPropertyValue(name, out var node) && node is JsonValue v
        ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString()
        : null;
}

/// <summary>One event of a webhook or poll, with the vendor's key for it (redeliveries have the same key).</summary>
public sealed record RawEvent(string Key, string Json);

/// <summary>The answer to a webhook request and the events to store.</summary>
public sealed record WebhookReading(int StatusCode, string? ResponseText, IReadOnlyList<RawEvent> Events, string? Problem = null)
{
    public static WebhookReading Accept(IReadOnlyList<RawEvent> events, string? responseText = null) => new(200, responseText, events);

    public static WebhookReading Answer(string responseText) => new(200, responseText, []);

    public static WebhookReading Reject(int statusCode, string problem) => new(statusCode, null, [], problem);
}

public sealed record PollBatch(IReadOnlyList<RawEvent> Events, string? Cursor);

/// <summary>What an inbound event means.</summary>
public abstract record InboundItem;

/// <summary>
/// A client's message. <c>Text</c> already carries locations and contacts in readable form; <c>Payload</c> is a
/// pressed button's data (the rating keyboard); <c>CallbackId</c> must be acknowledged (Telegram callback queries).
/// </summary>
public sealed record InboundMessage(
    string UserId, string? UserName, string? Text, IReadOnlyList<InboundFile> Files, string? Payload = null, string? CallbackId = null,
    string? Phone = null) : InboundItem;

/// <summary>A file to fetch from the vendor: a vendor file id or a URL, with the name and type it declares.</summary>
public sealed record InboundFile(string Reference, string? FileName, string? ContentType, long? Size);

public sealed record DownloadedFile(string FileName, Stream Content);

/// <summary>The vendor reports a sent message delivered, seen, or failed.</summary>
public sealed record DeliveryReceipt(string VendorMessageId, DeliveryStatus Status, string? Error = null) : InboundItem;

/// <summary>The user has read everything the bot sent them up to this vendor message id (VK <c>message_read</c>; ids grow).</summary>
public sealed record ReadUpTo(string UserId, long VendorMessageId) : InboundItem;

/// <summary>The user blocked the bot or unsubscribed: pending messages to them cannot be delivered.</summary>
public sealed record UserUnsubscribed(string UserId) : InboundItem;

/// <summary>
/// One outbound call: a message's text, or one of its files (each part is its own delivery, so a retry never repeats
/// a part the vendor already has), or the rating prompt (1–5 buttons). <c>IdempotencyKey</c>: stable across retries (VK random_id).
/// </summary>
public sealed record OutboundItem(
    string Recipient, string? Text, IReadOnlyList<OutboundFile> Files, bool RatingPrompt, long IdempotencyKey, string DeliveryId,
    string? SenderName = null);

public sealed record OutboundFile(string FileName, string ContentType, long Size, bool IsImage, Func<CancellationToken, Task<Stream>> Open, Uri? PublicUrl);

public abstract record SendOutcome
{
    /// <summary>Accepted by the vendor. <c>Delivered</c>: the vendor has no delivery receipts and acceptance means delivery (Telegram).</summary>
    public sealed record Sent(string? VendorMessageId, bool Delivered = false) : SendOutcome;

    /// <summary>Temporary (429, 5xx, network): try again, not before <c>After</c> when the vendor said so.</summary>
    public sealed record Retry(string Error, TimeSpan? After = null) : SendOutcome;

    /// <summary>Will never succeed (blocked, not subscribed, bad token, bad request).</summary>
    public sealed record Permanent(string Error) : SendOutcome;
}

public sealed record SetupOutcome(bool Ok, string Detail);

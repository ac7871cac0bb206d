using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Omnichat.Channels.Shared;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Conversations;

namespace Omnichat.Channels.Api;

/// <summary>
/// The generic API channel: a company connects any other messenger with its own connector (docs/channels/api.md).
/// Both directions are JSON signed with the channel secret: <c>X-Omnichat-Timestamp</c> (Unix seconds) and
/// <c>X-Omnichat-Signature: sha256=</c>hex HMAC-SHA256(secret, timestamp + "." + raw body); a signature older or
/// newer than five minutes is refused, so a captured request cannot be replayed later. Inbound events are keyed by
/// <c>eventId</c>; outbound deliveries carry their own <c>eventId</c>, the same on every retry.
/// </summary>
public sealed class ApiChannelAdapter(IHttpClientFactory http, IOptions<MessengerOptions> options, TimeProvider time) : IMessengerAdapter
{
    public const string SignatureHeader = "X-Omnichat-Signature";
    public const string TimestampHeader = "X-Omnichat-Timestamp";
    public const int MaxEventIdLength = 100;
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public ChannelKind Kind => ChannelKind.Api;

    public (string Field, string Message)? ValidateSettings(JsonObject settings) =>
        !VendorHttp.IsAbsoluteHttpUrl(settings.Str("outboundUrl"))
            ? ("outboundUrl", "'outboundUrl' is the absolute http(s) URL of your connector, where Omnichat posts operator messages.")
            : null;

    /// <summary>The signature header value for a body (also used by tests and documented for connectors).</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + VendorHttp.HmacSha256Hex(secret, signed);
    }

    public WebhookReading ReadWebhook(MessengerChannel channel, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        var timestamp = VendorHttp.Header(headers, TimestampHeader);
        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !VendorHttp.SecretEquals(VendorHttp.Header(headers, SignatureHeader), Sign(channel.Secret, timestamp, body)))
        {
            return WebhookReading.Reject(401, $"Missing or wrong {SignatureHeader} / {TimestampHeader}.");
        }

        if ((time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799))).Duration() > Tolerance)
        {
            return WebhookReading.Reject(401, $"{TimestampHeader} is more than five minutes away from the server's clock.");
        }

        var payload = VendorHttp.ParseObject(body);
        if (payload is null)
        {
            return WebhookReading.Reject(400, "The body is not a JSON object.");
        }

        var eventId = payload.Str("eventId");
        if (eventId is not { Length: > 0 and <= MaxEventIdLength })
        {
            return WebhookReading.Reject(400, $"'eventId' is required (at most {MaxEventIdLength} characters).");
        }

        var type = payload.Str("type");
        if (type == "message" && payload.Obj("user").Str("id") is not { Length: > 0 and <= 200 })
        {
            return WebhookReading.Reject(400, "'user.id' is required (at most 200 characters).");
        }

        return WebhookReading.Accept([new RawEvent("api:" + eventId, payload.ToJsonString())], "ok");
    }

    public IReadOnlyList<InboundItem> Interpret(MessengerChannel channel, string eventJson)
    {
        var payload = VendorHttp.ParseObject(eventJson);
        switch (payload.Str("type"))
        {
            case "message":
                var user = payload.Obj("user");
                var message = payload.Obj("message");
                var files = (message.Arr("attachments") ?? []).OfType<JsonObject>()
                    .Where(a => VendorHttp.IsAbsoluteHttpUrl(a.Str("url")))
                    .Select(a => new InboundFile(a.Str("url")!, a.Str("fileName"), a.Str("contentType"), a.Whole("size")))
                    .ToList();
                var text = message.Str("text");
                if (message.Obj("location") is { } l && l.Number("lat") is { } lat && l.Number("lon") is { } lon)
                {
                    text = string.IsNullOrEmpty(text) ? Readable.Location(lat, lon) : text + "\n" + Readable.Location(lat, lon);
                }

                return [new InboundMessage(user.Str("id")!, user.Str("name"), text, files, message.Str("payload"), Phone: user.Str("phone"))];
            case "delivery" when payload.Str("deliveryId") is { } delivered:
                return payload.Str("status") switch
                {
                    "delivered" => [new DeliveryReceipt(delivered, DeliveryStatus.Delivered)],
                    "read" => [new DeliveryReceipt(delivered, DeliveryStatus.Read)],
                    "failed" => [new DeliveryReceipt(delivered, DeliveryStatus.Failed, "Connector: " + (payload.Str("error") ?? "failed"))],
                    _ => [],
                };
            case "unsubscribed" when payload.Obj("user").Str("id") is { } gone:
                return [new UserUnsubscribed(gone)];
            default:
                return [];
        }
    }

    public Task<DownloadedFile?> DownloadAsync(MessengerChannel channel, InboundFile file, CancellationToken cancellationToken) =>
        VendorHttp.DownloadByUrlAsync(http, file, "Connector", cancellationToken);

    public async Task<SendOutcome> SendAsync(MessengerChannel channel, OutboundItem item, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["eventId"] = item.DeliveryId,
            ["type"] = item.RatingPrompt ? "rating-request" : "message",
            ["channelId"] = channel.Id.Value.ToString(),
            ["user"] = new JsonObject { ["id"] = item.Recipient },
            ["message"] = new JsonObject
            {
                ["text"] = item.Text,
                ["senderName"] = item.SenderName,
                ["attachments"] = new JsonArray([.. item.Files.Select(f => (JsonNode)new JsonObject
                {
                    ["fileName"] = f.FileName, ["contentType"] = f.ContentType, ["size"] = f.Size, ["url"] = f.PublicUrl?.AbsoluteUri,
                })]),
                ["buttons"] = item.RatingPrompt
                    ? new JsonArray([.. Enumerable.Range(1, 5).Select(n => (JsonNode)new JsonObject
                    {
                        ["text"] = n.ToString(CultureInfo.InvariantCulture), ["payload"] = $"rate:{n}",
                    })])
                    : null,
            },
        };
        if (item.Files.Any(f => f.PublicUrl is null))
        {
            return new SendOutcome.Permanent("Files go to the connector as links: set Omnichat:Messengers:PublicUrl to this server's public address.");
        }

        var (status, error, retryAfter) = await PostAsync(channel, body, cancellationToken);
        return status switch
        {
            >= 200 and < 300 => new SendOutcome.Sent(item.DeliveryId),
            null or 408 or 429 or >= 500 => new SendOutcome.Retry(error, retryAfter),
            _ => new SendOutcome.Permanent(error),
        };
    }

    public Task AcknowledgeAsync(MessengerChannel channel, string callbackId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<SetupOutcome> RegisterWebhookAsync(MessengerChannel channel, Uri url, CancellationToken cancellationToken) =>
        Task.FromResult(new SetupOutcome(true,
            $"Your connector posts client events to {url}, signed: {TimestampHeader} = Unix seconds, {SignatureHeader} = sha256=hex(HMAC-SHA256(channel secret, timestamp + \".\" + body)). " +
            $"Omnichat posts operator messages to {channel.Setting("outboundUrl")} signed the same way. See docs/channels/api.md."));

    public async Task<SetupOutcome> TestConnectionAsync(MessengerChannel channel, CancellationToken cancellationToken)
    {
        var (status, error, _) = await PostAsync(channel, new JsonObject { ["eventId"] = "ping-" + Guid.NewGuid().ToString("N"), ["type"] = "ping" }, cancellationToken);
        return status is >= 200 and < 300 ? new SetupOutcome(true, $"The connector answered {status}.") : new SetupOutcome(false, error);
    }

    private async Task<(int? Status, string Error, TimeSpan? RetryAfter)> PostAsync(MessengerChannel channel, JsonObject body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(channel.Setting("outboundUrl")!))
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(channel.Secret, timestamp, bytes));
        using var limit = VendorHttp.Timeout(options.Value.RequestTimeout, cancellationToken);
        try
        {
            using var response = await http.CreateClient(VendorHttp.ClientName).SendAsync(request, limit.Token);
            return ((int)response.StatusCode, $"Connector: HTTP {(int)response.StatusCode}", VendorHttp.RetryAfter(response));
        }
        catch (Exception ex) when (VendorHttp.IsTransportFailure(ex, cancellationToken))
        {
            return (null, "Connector: " + ex.Message, null);
        }
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Omnichat.Channels.Shared;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Conversations;

namespace Omnichat.Channels.Viber;

/// <summary>
/// Viber REST Bot API. Settings: <c>authToken</c> (the bot's token), optional <c>senderName</c> (≤ 28),
/// <c>senderAvatar</c>, <c>apiBaseUrl</c>. Callbacks carry <c>X-Viber-Content-Signature</c> = hex HMAC-SHA256(auth token,
/// raw body), checked in constant time before parsing; events are keyed by <c>event</c> + <c>message_token</c>.
/// Files go out by URL (a signed, expiring link to the attachment), so <c>Omnichat:Messengers:PublicUrl</c> must be set to send them.
/// </summary>
public sealed class ViberAdapter(IHttpClientFactory http, IOptions<MessengerOptions> options) : IMessengerAdapter
{
    public const string DefaultApi = "https://chatapi.viber.com/pa";
    public const string SignatureHeader = "X-Viber-Content-Signature";
    public const int MaxText = 7000;
    private static readonly string[] EventTypes = ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"];

    public ChannelKind Kind => ChannelKind.Viber;

    public (string Field, string Message)? ValidateSettings(JsonObject settings) =>
        settings.Str("authToken") is not { Length: >= 10 and <= 200 } ? ("authToken", "'authToken' is the Viber bot's authentication token.")
        : settings.Str("senderName") is { Length: > 28 } ? ("senderName", "'senderName' is at most 28 characters.")
        : settings.Str("apiBaseUrl") is { } url && !VendorHttp.IsAbsoluteHttpUrl(url) ? ("apiBaseUrl", "'apiBaseUrl' must be an absolute http(s) URL.")
        : null;

    public WebhookReading ReadWebhook(MessengerChannel channel, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        var expected = VendorHttp.HmacSha256Hex(channel.Setting("authToken") ?? "", body);
        if (!VendorHttp.SecretEquals(VendorHttp.Header(headers, SignatureHeader)?.Trim().ToLowerInvariant(), expected))
        {
            return WebhookReading.Reject(403, $"Missing or wrong {SignatureHeader}.");
        }

        var callback = VendorHttp.ParseObject(body);
        if (callback?.Str("event") is not { } kind)
        {
            return WebhookReading.Reject(400, "The body is not a Viber callback (no event).");
        }

        // The webhook check right after set_webhook needs only 200.
        return kind == "webhook"
            ? WebhookReading.Answer("ok")
            : WebhookReading.Accept([new RawEvent($"viber:{kind}:{callback.Str("message_token") ?? callback.Str("timestamp")}:{UserOf(callback)}", callback.ToJsonString())]);
    }

    public IReadOnlyList<InboundItem> Interpret(MessengerChannel channel, string eventJson)
    {
        var callback = VendorHttp.ParseObject(eventJson);
        var token = callback.Str("message_token");
        switch (callback.Str("event"))
        {
            case "delivered" when token is not null:
                return [new DeliveryReceipt(token, DeliveryStatus.Delivered)];
            case "seen" when token is not null:
                return [new DeliveryReceipt(token, DeliveryStatus.Read)];
            case "failed" when token is not null:
                return [new DeliveryReceipt(token, DeliveryStatus.Failed, "Viber: " + (callback.Str("desc") ?? "failed"))];
            case "unsubscribed" when callback.Str("user_id") is { } user:
                return [new UserUnsubscribed(user)];
            case "message":
                break;
            default:
                return []; // subscribed, conversation_started, anything new
        }

        var sender = callback.Obj("sender");
        var message = callback.Obj("message");
        if (sender.Str("id") is not { } userId || message is null)
        {
            return [];
        }

        string? text = message.Str("text");
        var files = new List<InboundFile>();
        string? phone = null;
        switch (message.Str("type"))
        {
            case "picture" or "video" or "file" when message.Str("media") is { } media:
                files.Add(new InboundFile(media, message.Str("file_name"), null, message.Whole("size") ?? message.Whole("file_size")));
                break;
            case "location" when message.Obj("location") is { } l && l.Number("lat") is { } lat && l.Number("lon") is { } lon:
                text = Readable.Location(lat, lon);
                break;
            case "contact" when message.Obj("contact") is { } c:
                phone = c.Str("phone_number");
                text = Readable.Contact(c.Str("name"), phone);
                phone = null; // a shared contact is someone's, not necessarily the sender's
                break;
            case "url":
                text = message.Str("media") ?? text;
                break;
            case "sticker":
                text ??= "[sticker]";
                break;
        }

        // A pressed keyboard button arrives as text = its ActionBody; the rating keyboard's bodies are "rate:N".
        var payload = text is not null && text.StartsWith("rate:", StringComparison.Ordinal) ? text : null;
        return [new InboundMessage(userId, sender.Str("name"), payload is null ? text : null, files, payload, Phone: phone)];
    }

    public Task<DownloadedFile?> DownloadAsync(MessengerChannel channel, InboundFile file, CancellationToken cancellationToken) =>
        VendorHttp.DownloadByUrlAsync(http, file, "Viber", cancellationToken);

    public async Task<SendOutcome> SendAsync(MessengerChannel channel, OutboundItem item, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["receiver"] = item.Recipient,
            ["min_api_version"] = 1,
            ["sender"] = new JsonObject
            {
                ["name"] = Readable.Clip(channel.Setting("senderName") ?? item.SenderName ?? channel.Name, 28),
            },
            ["tracking_data"] = item.DeliveryId,
        };
        if (channel.Setting("senderAvatar") is { } avatar)
        {
            body["sender"]!["avatar"] = avatar;
        }

        if (item.Files.Count > 0)
        {
            var file = item.Files[0];
            if (file.PublicUrl is null)
            {
                return new SendOutcome.Permanent("Viber fetches files by URL: set Omnichat:Messengers:PublicUrl to this server's public address.");
            }

            var picture = file.IsImage && file.ContentType is "image/jpeg" or "image/png" or "image/gif";
            body["type"] = picture ? "picture" : "file";
            body["media"] = file.PublicUrl.AbsoluteUri;
            if (picture)
            {
                body["text"] = "";
            }
            else
            {
                body["size"] = file.Size;
                body["file_name"] = file.FileName;
            }
        }
        else
        {
            body["type"] = "text";
            body["text"] = Readable.Clip(item.Text ?? "", MaxText);
        }

        if (item.RatingPrompt)
        {
            body["keyboard"] = new JsonObject
            {
                ["Type"] = "keyboard",
                ["DefaultHeight"] = false,
                ["Buttons"] = new JsonArray([.. Enumerable.Range(1, 5).Select(n => (JsonNode)new JsonObject
                {
                    ["Columns"] = 1, ["Rows"] = 1, ["ActionType"] = "reply",
                    ["ActionBody"] = $"rate:{n}", ["Text"] = n.ToString(CultureInfo.InvariantCulture),
                })]),
            };
        }

        var (status, answer, error) = await CallAsync(channel, "send_message", body, cancellationToken);
        return status switch
        {
            0 => new SendOutcome.Sent(answer.Str("message_token")),
            null or 12 => new SendOutcome.Retry(error),
            _ => new SendOutcome.Permanent(error),
        };
    }

    public Task AcknowledgeAsync(MessengerChannel channel, string callbackId, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<SetupOutcome> RegisterWebhookAsync(MessengerChannel channel, Uri url, CancellationToken cancellationToken)
    {
        var (status, _, error) = await CallAsync(channel, "set_webhook", new JsonObject
        {
            ["url"] = url.ToString(),
            ["event_types"] = new JsonArray([.. EventTypes.Select(e => (JsonNode)e)]),
            ["send_name"] = true,
            ["send_photo"] = true,
        }, cancellationToken);
        return status == 0 ? new SetupOutcome(true, "Viber will send callbacks to " + url) : new SetupOutcome(false, error);
    }

    public async Task<SetupOutcome> TestConnectionAsync(MessengerChannel channel, CancellationToken cancellationToken)
    {
        var (status, answer, error) = await CallAsync(channel, "get_account_info", new JsonObject(), cancellationToken);
        return status == 0 ? new SetupOutcome(true, answer.Str("name") ?? answer.Str("uri") ?? "ok") : new SetupOutcome(false, error);
    }

    /// <summary>Viber answers HTTP 200 with a <c>status</c>; null status = network error or 5xx (temporary).</summary>
    private async Task<(int? Status, JsonObject? Answer, string Error)> CallAsync(MessengerChannel channel, string method, JsonObject body, CancellationToken cancellationToken)
    {
        var client = http.CreateClient(VendorHttp.ClientName);
        using var limit = VendorHttp.Timeout(options.Value.RequestTimeout, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(VendorHttp.BaseUrl(channel, DefaultApi), "./" + method))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.TryAddWithoutValidation("X-Viber-Auth-Token", channel.Setting("authToken"));
        try
        {
            using var response = await client.SendAsync(request, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (VendorHttp.IsTemporary(response.StatusCode) ? null : -1, null, $"Viber {method}: HTTP {(int)response.StatusCode}");
            }

            JsonObject? answer;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<JsonObject>(limit.Token);
            }
            catch (JsonException)
            {
                return (null, null, $"Viber {method}: the answer is not JSON");
            }

            var status = (int?)answer.Whole("status");
            return (status ?? -1, answer, $"Viber {method}: {status} {answer.Str("status_message")}");
        }
        catch (Exception ex) when (VendorHttp.IsTransportFailure(ex, cancellationToken))
        {
            return (null, null, $"Viber {method}: {ex.Message}");
        }
    }

    private static string? UserOf(JsonObject callback) =>
        callback.Obj("sender").Str("id") ?? callback.Obj("user").Str("id") ?? callback.Str("user_id");
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Omnichat.Channels.Shared;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;

namespace Omnichat.Channels.Telegram;

/// <summary>
/// Telegram Bot API. Settings: <c>botToken</c> (from @BotFather), optional <c>mode</c> (<c>webhook</c> — default —
/// or <c>polling</c>), <c>apiBaseUrl</c> (a local Bot API server). Webhooks are verified by
/// <c>X-Telegram-Bot-Api-Secret-Token</c> = the channel secret (registered with setWebhook); events are keyed by
/// <c>update_id</c>. Telegram has no delivery receipts: a message Telegram accepted counts as delivered.
/// </summary>
public sealed partial class TelegramAdapter(IHttpClientFactory http, IOptions<MessengerOptions> options) : IPollingMessengerAdapter
{
    public const string DefaultApi = "https://api.telegram.org";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const int MaxText = 4096;
    public const int PollSeconds = 25;
    private static readonly string[] AllowedUpdates = ["message", "callback_query"];

    public ChannelKind Kind => ChannelKind.Telegram;

    public (string Field, string Message)? ValidateSettings(JsonObject settings)
    {
        var token = settings.Str("botToken");
        if (token is null || !BotToken().IsMatch(token))
        {
            return ("botToken", "'botToken' is the bot's token from @BotFather, like 123456:ABC-DEF…");
        }

        if (settings.Str("mode") is { } mode && mode is not ("webhook" or "polling"))
        {
            return ("mode", "'mode' is 'webhook' or 'polling'.");
        }

        return settings.Str("apiBaseUrl") is { } url && !VendorHttp.IsAbsoluteHttpUrl(url) ? ("apiBaseUrl", "'apiBaseUrl' must be an absolute http(s) URL.") : null;
    }

    public WebhookReading ReadWebhook(MessengerChannel channel, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        if (!VendorHttp.SecretEquals(VendorHttp.Header(headers, SecretHeader), channel.Secret))
        {
            return WebhookReading.Reject(401, $"Missing or wrong {SecretHeader}.");
        }

        var update = VendorHttp.ParseObject(body);
        if (update?.Whole("update_id") is not { } updateId)
        {
            return WebhookReading.Reject(400, "The body is not a Telegram Update (no update_id).");
        }

        return WebhookReading.Accept([new RawEvent($"tg:{updateId}", update.ToJsonString())]);
    }

    public IReadOnlyList<InboundItem> Interpret(MessengerChannel channel, string eventJson)
    {
        var update = VendorHttp.ParseObject(eventJson);
        if (update.Obj("callback_query") is { } callback)
        {
            var chat = callback.Obj("message").Obj("chat").Str("id") ?? callback.Obj("from").Str("id");
            return chat is null ? [] : [new InboundMessage(chat, NameOf(callback.Obj("from")), null, [], callback.Str("data"), callback.Str("id"))];
        }

        // Edited messages and channel posts are not conversation messages.
        if (update.Obj("message") is not { } message || message.Obj("chat").Str("id") is not { } chatId)
        {
            return [];
        }

        var text = message.Str("text") ?? message.Str("caption");
        var files = new List<InboundFile>();
        string? phone = null;
        if (message.Arr("photo") is { Count: > 0 } sizes && sizes[^1] is JsonObject largest && largest.Str("file_id") is { } photoId)
        {
            files.Add(new InboundFile(photoId, null, "image/jpeg", largest.Whole("file_size"))); // named by its file_path
        }

        foreach (var (field, name, type) in new[] { ("document", (string?)null, (string?)null), ("video", null, "video/mp4"), ("audio", null, "audio/mpeg"), ("voice", null, "audio/ogg") })
        {
            if (message.Obj(field) is { } file && file.Str("file_id") is { } fileId)
            {
                files.Add(new InboundFile(fileId, file.Str("file_name") ?? name, file.Str("mime_type") ?? type, file.Whole("file_size")));
            }
        }

        if (message.Obj("location") is { } location && location.Number("latitude") is { } lat && location.Number("longitude") is { } lon)
        {
            text = Append(text, Readable.Location(lat, lon));
        }

        if (message.Obj("contact") is { } contact)
        {
            phone = contact.Str("phone_number");
            text = Append(text, Readable.Contact(string.Join(' ', new[] { contact.Str("first_name"), contact.Str("last_name") }.Where(s => s is not null)), phone));
            // Only the user's own contact says something about them.
            if (contact.Str("user_id") != message.Obj("from").Str("id"))
            {
                phone = null;
            }
        }

        if (message.Obj("sticker") is { } sticker && text is null && files.Count == 0)
        {
            text = sticker.Str("emoji") ?? "[sticker]";
        }

        return [new InboundMessage(chatId, NameOf(message.Obj("from")), text, files, Phone: phone)];
    }

    public async Task<DownloadedFile?> DownloadAsync(MessengerChannel channel, InboundFile file, CancellationToken cancellationToken)
    {
        var result = await CallAsync(channel, "getFile", new JsonObject { ["file_id"] = file.Reference }, cancellationToken);
        if (result is not TelegramResult.Ok ok || ok.Result.Str("file_path") is not { } path)
        {
            return result is TelegramResult.Failed { Temporary: true } failed ? throw new IOException(failed.Description) : null;
        }

        var url = new Uri(VendorHttp.BaseUrl(channel, DefaultApi), $"./file/bot{Token(channel)}/{path}");
        return await VendorHttp.DownloadByUrlAsync(http, file with { Reference = url.ToString(), FileName = file.FileName ?? Path.GetFileName(path) },
            "Telegram", cancellationToken);
    }

    public async Task<SendOutcome> SendAsync(MessengerChannel channel, OutboundItem item, CancellationToken cancellationToken)
    {
        TelegramResult result;
        if (item.Files.Count > 0)
        {
            var file = item.Files[0];
            var method = file.IsImage && file.ContentType != "image/gif" ? "sendPhoto" : "sendDocument";
            await using var stream = await file.Open(cancellationToken);
            using var form = new MultipartFormDataContent
            {
                { new StringContent(item.Recipient), "chat_id" },
                { VendorHttp.FileContent(stream, file.ContentType), method == "sendPhoto" ? "photo" : "document", file.FileName },
            };
            result = await CallAsync(channel, method, form, cancellationToken);
        }
        else
        {
            var body = new JsonObject { ["chat_id"] = item.Recipient, ["text"] = Readable.Clip(item.Text ?? "", MaxText) };
            if (item.RatingPrompt)
            {
                body["reply_markup"] = new JsonObject
                {
                    ["inline_keyboard"] = new JsonArray(new JsonArray([.. Enumerable.Range(1, 5).Select(n =>
                        (JsonNode)new JsonObject { ["text"] = n.ToString(CultureInfo.InvariantCulture), ["callback_data"] = $"rate:{n}" })])),
                };
            }

            result = await CallAsync(channel, "sendMessage", body, cancellationToken);
        }

        return result switch
        {
            TelegramResult.Ok ok => new SendOutcome.Sent(ok.Result.Str("message_id"), Delivered: true),
            TelegramResult.Failed { Temporary: true } f => new SendOutcome.Retry(f.Description, f.RetryAfter),
            TelegramResult.Failed f => new SendOutcome.Permanent(f.Description),
            _ => new SendOutcome.Retry("Unexpected answer."),
        };
    }

    public async Task AcknowledgeAsync(MessengerChannel channel, string callbackId, CancellationToken cancellationToken) =>
        await CallAsync(channel, "answerCallbackQuery", new JsonObject { ["callback_query_id"] = callbackId }, cancellationToken);

    public async Task<SetupOutcome> RegisterWebhookAsync(MessengerChannel channel, Uri url, CancellationToken cancellationToken)
    {
        var result = await CallAsync(channel, "setWebhook", new JsonObject
        {
            ["url"] = url.ToString(),
            ["secret_token"] = channel.Secret,
            ["allowed_updates"] = new JsonArray([.. AllowedUpdates.Select(u => (JsonNode)u)]),
            ["max_connections"] = 40,
        }, cancellationToken);
        return result is TelegramResult.Ok ? new SetupOutcome(true, "Telegram will send updates to " + url) : new SetupOutcome(false, Describe(result));
    }

    public async Task<SetupOutcome> TestConnectionAsync(MessengerChannel channel, CancellationToken cancellationToken)
    {
        var result = await CallAsync(channel, "getMe", new JsonObject(), cancellationToken);
        return result is TelegramResult.Ok ok ? new SetupOutcome(true, "@" + ok.Result.Str("username")) : new SetupOutcome(false, Describe(result));
    }

    public bool UsesPolling(MessengerChannel channel) => channel.Setting("mode") == "polling";

    public async Task<PollBatch> PollAsync(MessengerChannel channel, string? cursor, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["timeout"] = PollSeconds, ["allowed_updates"] = new JsonArray([.. AllowedUpdates.Select(u => (JsonNode)u)]) };
        if (long.TryParse(cursor, CultureInfo.InvariantCulture, out var offset))
        {
            body["offset"] = offset;
        }

        var result = await CallAsync(channel, "getUpdates", body, cancellationToken, TimeSpan.FromSeconds(PollSeconds + 15));
        if (result is not TelegramResult.Ok ok)
        {
            throw new IOException("getUpdates: " + Describe(result));
        }

        var events = new List<RawEvent>();
        var next = cursor;
        foreach (var update in (ok.Node as JsonArray ?? []).OfType<JsonObject>())
        {
            if (update.Whole("update_id") is { } id)
            {
                events.Add(new RawEvent($"tg:{id}", update.ToJsonString()));
                next = (id + 1).ToString(CultureInfo.InvariantCulture);
            }
        }

        return new PollBatch(events, next);
    }

    private async Task<TelegramResult> CallAsync(MessengerChannel channel, string method, HttpContent content, CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var client = http.CreateClient(VendorHttp.ClientName);
        var url = new Uri(VendorHttp.BaseUrl(channel, DefaultApi), $"./bot{Token(channel)}/{method}");
        using var limit = VendorHttp.Timeout(timeout ?? options.Value.RequestTimeout, cancellationToken);
        try
        {
            using var response = await client.PostAsync(url, content, limit.Token);
            JsonObject? answer = null;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<JsonObject>(limit.Token);
            }
            catch (JsonException)
            {
                // not JSON (a proxy's error page): judged by the status below
            }

            if (answer?["ok"]?.GetValueKind() == JsonValueKind.True)
            {
                return new TelegramResult.Ok(answer["result"] as JsonObject ?? [], answer["result"]);
            }

            var code = (int?)answer.Whole("error_code") ?? (int)response.StatusCode;
            var retryAfter = answer.Obj("parameters").Whole("retry_after") is { } seconds ? TimeSpan.FromSeconds(seconds) : VendorHttp.RetryAfter(response);
            var description = answer.Str("description") ?? $"HTTP {(int)response.StatusCode}";
            return new TelegramResult.Failed(code, $"Telegram {method}: {code} {description}", code == 429 || code >= 500, retryAfter);
        }
        catch (Exception ex) when (VendorHttp.IsTransportFailure(ex, cancellationToken))
        {
            return new TelegramResult.Failed(0, $"Telegram {method}: {ex.Message}", true, null);
        }
    }

    private Task<TelegramResult> CallAsync(MessengerChannel channel, string method, JsonObject body, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync(channel, method, JsonContent.Create(body), cancellationToken, timeout);

    private static string Describe(TelegramResult result) => result is TelegramResult.Failed f ? f.Description : "unexpected answer";

    private static string Token(MessengerChannel channel) => channel.Setting("botToken") ?? "";

    private static string? NameOf(JsonObject? user) =>
        user is null ? null
        : string.Join(' ', new[] { user.Str("first_name"), user.Str("last_name") }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name ? name
        : user.Str("username");

    private static string Append(string? text, string line) => string.IsNullOrEmpty(text) ? line : text + "\n" + line;

    [GeneratedRegex(@"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")]
    private static partial Regex BotToken();

    private abstract record TelegramResult
    {
        public sealed record Ok(JsonObject Result, JsonNode? Node) : TelegramResult;

        public sealed record Failed(int Code, string Description, bool Temporary, TimeSpan? RetryAfter) : TelegramResult;
    }
}

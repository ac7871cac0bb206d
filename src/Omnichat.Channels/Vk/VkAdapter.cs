using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Omnichat.Channels.Shared;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;

namespace Omnichat.Channels.Vk;

/// <summary>
/// VK community messages through the Callback API. Settings: <c>accessToken</c> (community token with messages
/// rights), <c>groupId</c>, <c>confirmationCode</c> (shown in the community's Callback API settings), optional
/// <c>apiVersion</c> (default 5.199) and <c>apiBaseUrl</c>. The channel secret is pasted as the Callback API "secret
/// key"; every event must carry it (constant-time check). Events are keyed by <c>event_id</c>, messages additionally
/// by their id, so <c>X-Retry-Counter</c> redeliveries are dropped. Sends use the delivery's <c>random_id</c>, so VK
/// itself drops a retried send it already has. A message VK accepted is in the user's dialog (delivered);
/// <c>message_read</c> (read up to a message id) marks it read. With <c>mode: longpoll</c> the Bots Long Poll API is used instead of
/// the Callback API (no public address needed); polled events take the same path and keys as callbacks.
/// </summary>
public sealed class VkAdapter(IHttpClientFactory http, IOptions<MessengerOptions> options) : IPollingMessengerAdapter
{
    public const string DefaultApi = "https://api.vk.com/method";
    public const string DefaultVersion = "5.199";
    public const int MaxText = 9000;
    private static readonly HashSet<int> Temporary = [1, 6, 9, 10];

    public ChannelKind Kind => ChannelKind.Vk;

    public (string Field, string Message)? ValidateSettings(JsonObject settings) =>
        settings.Str("accessToken") is not { Length: >= 10 and <= 500 } ? ("accessToken", "'accessToken' is the community's access token with messages rights.")
        : settings.Whole("groupId") is not > 0 ? ("groupId", "'groupId' is the community's numeric id.")
        : settings.Str("confirmationCode") is not { Length: >= 1 and <= 64 } ? ("confirmationCode", "'confirmationCode' is the string VK shows in the Callback API settings.")
        : settings.Str("apiBaseUrl") is { } url && !VendorHttp.IsAbsoluteHttpUrl(url) ? ("apiBaseUrl", "'apiBaseUrl' must be an absolute http(s) URL.")
        : settings.Str("mode") is { } mode && mode is not ("callback" or "longpoll") ? ("mode", "'mode' is 'callback' or 'longpoll'.")
        : null;

    public WebhookReading ReadWebhook(MessengerChannel channel, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        var callback = VendorHttp.ParseObject(body);
        if (callback?.Str("type") is not { } type)
        {
            return WebhookReading.Reject(400, "The body is not a VK Callback API event (no type).");
        }

        if (callback.Whole("group_id") is { } group && group != channel.Settings.Whole("groupId"))
        {
            return WebhookReading.Reject(403, "The event is for another community.");
        }

        if (type == "confirmation")
        {
            return WebhookReading.Answer(channel.Setting("confirmationCode") ?? "");
        }

        if (!VendorHttp.SecretEquals(callback.Str("secret"), channel.Secret))
        {
            return WebhookReading.Reject(403, "Missing or wrong secret.");
        }

        callback.Remove("secret"); // not stored
        return WebhookReading.Accept([new RawEvent(KeyOf(callback), callback.ToJsonString())], "ok");
    }

    /// <summary>Messages by their id (a redelivery may carry a new event_id), everything else by event_id.</summary>
    private static string KeyOf(JsonObject callback)
    {
        var messageId = callback.Obj("object").Obj("message").Str("id");
        return callback.Str("type") == "message_new" && messageId is not null
            ? $"vk:message:{messageId}"
            : $"vk:{callback.Str("event_id") ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(callback.ToJsonString())))}";
    }

    public bool UsesPolling(MessengerChannel channel) => channel.Setting("mode") == "longpoll";

    /// <summary>
    /// Bots Long Poll: <c>groups.getLongPollServer</c> once (cursor = server, key, ts as JSON), then
    /// <c>{server}?act=a_check&amp;key=…&amp;ts=…&amp;wait=25</c>. <c>failed</c> 1: take the new ts; 2: new key; 3: new key and ts.
    /// </summary>
    public async Task<PollBatch> PollAsync(MessengerChannel channel, string? cursor, CancellationToken cancellationToken)
    {
        var state = cursor is null ? null : VendorHttp.ParseObject(cursor);
        if (state.Str("server") is null || state.Str("key") is null || state.Str("ts") is null)
        {
            return new PollBatch([], await NewServerAsync(channel, keepTs: state.Str("ts"), cancellationToken));
        }

        var url = $"{state.Str("server")}?act=a_check&key={Uri.EscapeDataString(state.Str("key")!)}&ts={Uri.EscapeDataString(state.Str("ts")!)}&wait=25";
        using var limit = VendorHttp.Timeout(TimeSpan.FromSeconds(40), cancellationToken);
        using var response = await http.CreateClient(VendorHttp.ClientName).GetAsync(new Uri(url), limit.Token);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(limit.Token);
        switch (answer.Whole("failed"))
        {
            case 1:
                state!["ts"] = answer.Str("ts");
                return new PollBatch([], state.ToJsonString());
            case 2:
                return new PollBatch([], await NewServerAsync(channel, keepTs: state.Str("ts"), cancellationToken));
            case 3:
                return new PollBatch([], await NewServerAsync(channel, keepTs: null, cancellationToken));
        }

        var events = (answer.Arr("updates") ?? []).OfType<JsonObject>().Where(u => u.Str("type") is not null)
            .Select(u => new RawEvent(KeyOf(u), u.ToJsonString())).ToList();
        state!["ts"] = answer.Str("ts") ?? state.Str("ts");
        return new PollBatch(events, state.ToJsonString());
    }

    private async Task<string> NewServerAsync(MessengerChannel channel, string? keepTs, CancellationToken cancellationToken)
    {
        var (server, error, _) = await CallAsync(channel, "groups.getLongPollServer",
            new Dictionary<string, string> { ["group_id"] = channel.Setting("groupId") ?? "" }, cancellationToken);
        if (server.Str("server") is not { } address || server.Str("key") is not { } key)
        {
            throw new IOException("groups.getLongPollServer: " + error);
        }

        return new JsonObject { ["server"] = address, ["key"] = key, ["ts"] = keepTs ?? server.Str("ts") }.ToJsonString();
    }

    public IReadOnlyList<InboundItem> Interpret(MessengerChannel channel, string eventJson)
    {
        var callback = VendorHttp.ParseObject(eventJson);
        var body = callback.Obj("object");
        switch (callback.Str("type"))
        {
            case "message_new":
                break;
            case "message_event" when body.Str("user_id") is { } user:
                return [new InboundMessage(body.Str("peer_id") ?? user, null, null, [], PayloadOf(body?["payload"]), body.Str("event_id"))];
            case "message_read" when (body.Str("peer_id") ?? body.Str("from_id")) is { } reader && body.Whole("read_message_id") is { } upTo:
                return [new ReadUpTo(reader, upTo)];
            case "message_deny" when body.Str("user_id") is { } denied:
                return [new UserUnsubscribed(denied)];
            default:
                return []; // typing, message_reply (our own sends), message_allow, anything new
        }

        var message = body.Obj("message");
        if (message.Str("peer_id") is not { } peer)
        {
            return [];
        }

        var text = message.Str("text") is { Length: > 0 } t ? t : null;
        var files = new List<InboundFile>();
        foreach (var attachment in (message.Arr("attachments") ?? []).OfType<JsonObject>())
        {
            switch (attachment.Str("type"))
            {
                case "photo" when attachment.Obj("photo").Arr("sizes") is { Count: > 0 } sizes
                                  && sizes.OfType<JsonObject>().OrderBy(x => x.Whole("width") ?? 0).LastOrDefault()?.Str("url") is { } url:
                    files.Add(new InboundFile(url, null, null, null));
                    break;
                case "doc" when attachment.Obj("doc").Str("url") is { } docUrl:
                    files.Add(new InboundFile(docUrl, attachment.Obj("doc").Str("title"), null, attachment.Obj("doc").Whole("size")));
                    break;
            }
        }

        if (message.Obj("geo").Obj("coordinates") is { } geo && geo.Number("latitude") is { } lat && geo.Number("longitude") is { } lon)
        {
            text = string.IsNullOrEmpty(text) ? Readable.Location(lat, lon) : text + "\n" + Readable.Location(lat, lon);
        }

        return [new InboundMessage(peer, null, text, files, PayloadOf(message?["payload"]))];
    }

    public Task<DownloadedFile?> DownloadAsync(MessengerChannel channel, InboundFile file, CancellationToken cancellationToken) =>
        VendorHttp.DownloadByUrlAsync(http, file, "VK", cancellationToken);

    public async Task<SendOutcome> SendAsync(MessengerChannel channel, OutboundItem item, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>
        {
            ["peer_id"] = item.Recipient,
            ["random_id"] = (item.IdempotencyKey % int.MaxValue + 1).ToString(CultureInfo.InvariantCulture), // int32, never 0 (0 would turn deduplication off)
        };
        if (item.Files.Count > 0)
        {
            var file = item.Files[0];
            var attachment = await UploadAsync(channel, item.Recipient, file, cancellationToken);
            if (attachment is SendOutcome failed)
            {
                return failed;
            }

            fields["attachment"] = (string)attachment;
        }
        else
        {
            fields["message"] = Readable.Clip(item.Text ?? "", MaxText);
        }

        if (item.RatingPrompt)
        {
            fields["keyboard"] = new JsonObject
            {
                ["one_time"] = false,
                ["inline"] = true,
                ["buttons"] = new JsonArray(new JsonArray([.. Enumerable.Range(1, 5).Select(n => (JsonNode)new JsonObject
                {
                    ["action"] = new JsonObject
                    {
                        ["type"] = "callback",
                        ["label"] = n.ToString(CultureInfo.InvariantCulture),
                        ["payload"] = new JsonObject { ["rate"] = n }.ToJsonString(),
                    },
                })])),
            }.ToJsonString();
        }

        var (result, error, code) = await CallAsync(channel, "messages.send", fields, cancellationToken);
        // messages.send answers once the message is in the user's dialog: delivered; message_read later marks it read.
        return result is not null ? new SendOutcome.Sent(result.ToString(), Delivered: true)
            : Failure(error, code);
    }

    public async Task AcknowledgeAsync(MessengerChannel channel, string callbackId, CancellationToken cancellationToken) =>
        await CallAsync(channel, "messages.sendMessageEventAnswer", new Dictionary<string, string> { ["event_id"] = callbackId }, cancellationToken);

    public Task<SetupOutcome> RegisterWebhookAsync(MessengerChannel channel, Uri url, CancellationToken cancellationToken) =>
        Task.FromResult(new SetupOutcome(true,
            $"In the community's settings → API → Callback API: server URL {url}, secret key = this channel's secret, API version {Version(channel)}, " +
            "events: incoming messages, message events, message access denied. VK will send a confirmation request, which Omnichat answers with the confirmation code."));

    public async Task<SetupOutcome> TestConnectionAsync(MessengerChannel channel, CancellationToken cancellationToken)
    {
        var (result, error, _) = await CallAsync(channel, "groups.getById",
            new Dictionary<string, string> { ["group_id"] = channel.Setting("groupId") ?? "" }, cancellationToken);
        var group = result?["groups"]?[0] ?? result?[0];
        return result is null ? new SetupOutcome(false, error) : new SetupOutcome(true, group.Str("name") ?? "ok");
    }

    /// <summary>
    /// Pictures (JPEG, PNG, GIF) as photos — <c>photos.getMessagesUploadServer</c> → upload → <c>photos.saveMessagesPhoto</c>;
    /// anything else as a document — <c>docs.getMessagesUploadServer</c> → upload → <c>docs.save</c>. The attachment
    /// string (<c>photo…</c> / <c>doc…</c>), or the failure.
    /// </summary>
    private async Task<object> UploadAsync(MessengerChannel channel, string peer, OutboundFile file, CancellationToken cancellationToken)
    {
        var photo = file.IsImage && file.ContentType is "image/jpeg" or "image/png" or "image/gif";
        var (server, error, code) = photo
            ? await CallAsync(channel, "photos.getMessagesUploadServer", new Dictionary<string, string> { ["peer_id"] = peer }, cancellationToken)
            : await CallAsync(channel, "docs.getMessagesUploadServer", new Dictionary<string, string> { ["peer_id"] = peer, ["type"] = "doc" }, cancellationToken);
        if (server.Str("upload_url") is not { } uploadUrl)
        {
            return Failure(error, code);
        }

        await using var stream = await file.Open(cancellationToken);
        using var form = new MultipartFormDataContent { { VendorHttp.FileContent(stream, file.ContentType), photo ? "photo" : "file", file.FileName } };
        using var limit = VendorHttp.Timeout(options.Value.RequestTimeout, cancellationToken);
        JsonObject uploaded;
        try
        {
            using var response = await http.CreateClient(VendorHttp.ClientName).PostAsync(new Uri(uploadUrl), form, limit.Token);
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(limit.Token);
            if (answer is null || (photo ? answer.Str("photo") is not { Length: > 2 } : answer.Str("file") is null))
            {
                return new SendOutcome.Retry($"VK upload: {answer.Str("error") ?? "HTTP " + (int)response.StatusCode}");
            }

            uploaded = answer;
        }
        catch (Exception ex) when (VendorHttp.IsTransportFailure(ex, cancellationToken))
        {
            return new SendOutcome.Retry("VK upload: " + ex.Message);
        }

        if (photo)
        {
            var (savedPhoto, photoError, photoCode) = await CallAsync(channel, "photos.saveMessagesPhoto", new Dictionary<string, string>
            {
                ["server"] = uploaded.Str("server") ?? "", ["photo"] = uploaded.Str("photo")!, ["hash"] = uploaded.Str("hash") ?? "",
            }, cancellationToken);
            var first = (savedPhoto as JsonArray)?.FirstOrDefault();
            return first.Str("owner_id") is { } photoOwner && first.Str("id") is { } photoId ? $"photo{photoOwner}_{photoId}" : Failure(photoError, photoCode);
        }

        var (saved, saveError, saveCode) = await CallAsync(channel, "docs.save",
            new Dictionary<string, string> { ["file"] = uploaded.Str("file")!, ["title"] = file.FileName }, cancellationToken);
        var doc = saved.Obj("doc");
        return doc.Str("owner_id") is { } owner && doc.Str("id") is { } id ? $"doc{owner}_{id}" : Failure(saveError, saveCode);
    }

    /// <summary>1, 6, 9, 10 and network errors retry (too many requests per second / flood control: not within a second); others are final.</summary>
    private static SendOutcome Failure(string error, int? code) =>
        code is null || Temporary.Contains(code.Value) ? new SendOutcome.Retry(error, code is 6 or 9 ? TimeSpan.FromSeconds(1) : null) : new SendOutcome.Permanent(error);

    /// <summary>A VK API method as a form POST; the <c>response</c>, or the error text and code (null code: network or HTTP failure).</summary>
    private async Task<(JsonNode? Response, string Error, int? Code)> CallAsync(MessengerChannel channel, string method, Dictionary<string, string> fields,
        CancellationToken cancellationToken)
    {
        fields["access_token"] = channel.Setting("accessToken") ?? "";
        fields["v"] = Version(channel);
        using var limit = VendorHttp.Timeout(options.Value.RequestTimeout, cancellationToken);
        try
        {
            using var response = await http.CreateClient(VendorHttp.ClientName)
                .PostAsync(new Uri(VendorHttp.BaseUrl(channel, DefaultApi), "./" + method), new FormUrlEncodedContent(fields), limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"VK {method}: HTTP {(int)response.StatusCode}", VendorHttp.IsTemporary(response.StatusCode) ? null : -1);
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(limit.Token);
            if (answer?["response"] is { } result)
            {
                return (result, "", 0);
            }

            var error = answer.Obj("error");
            return (null, $"VK {method}: {error.Str("error_code")} {error.Str("error_msg")}", (int?)error.Whole("error_code") ?? -1);
        }
        catch (Exception ex) when (VendorHttp.IsTransportFailure(ex, cancellationToken))
        {
            return (null, $"VK {method}: {ex.Message}", null);
        }
    }

    /// <summary>A button's payload (a JSON string or object) as "rate:N" when it is the rating keyboard's.</summary>
    private static string? PayloadOf(JsonNode? payload)
    {
        var node = payload is JsonValue v && v.TryGetValue<string>(out var s) ? VendorHttp.ParseObject(s) : payload as JsonObject;
        return node.Whole("rate") is { } rate ? $"rate:{rate}" : null;
    }

    private static string Version(MessengerChannel channel) => channel.Setting("apiVersion") ?? DefaultVersion;
}

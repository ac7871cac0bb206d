using Microsoft.AspNetCore.Http;

namespace Omnichat.Testing.Messengers;

/// <summary>
/// The VK API: <c>POST /method/{name}</c> with form fields; answers <c>{"response":…}</c> or
/// <c>{"error":{"error_code":…,"error_msg":…}}</c>. messages.send honours <c>random_id</c> like VK: a repeat returns the first message id.
/// </summary>
public sealed class FakeVk(string token = FakeVk.Token) : FakeVendorServer
{
    public const string Token = "vk1.a.fake-community-token-for-omnichat-tests";
    public const long GroupId = 229_000_001;

    private readonly Dictionary<string, long> _byRandomId = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<(long Ts, string Update)> _updates = new();
    private long _ts = 10;

    /// <summary>An event for the Bots Long Poll server (as VK would send it to a callback, without the secret).</summary>
    public void QueueUpdate(string update) => _updates.Enqueue((Interlocked.Increment(ref _ts), update));
    private long _ids = 100;

    public string ApiBaseUrl => BaseUrl + "/method";

    /// <summary>Pictures uploaded through photos.getMessagesUploadServer → upload → photos.saveMessagesPhoto, by the saved photo id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<long, byte[]> Photos { get; } = new();

    /// <summary>Files uploaded through docs.getMessagesUploadServer → upload → docs.save, by the saved doc id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<long, (string Title, byte[] Content)> Docs { get; } = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _uploads = new();

    protected override async Task AnswerAsync(HttpContext context, VendorRequest request)
    {
        if (request.Method == "lp")
        {
            if (request.Form.GetValueOrDefault("key") != "lp-key-1")
            {
                await JsonAsync(context, """{"failed":2}""");
                return;
            }

            var ts = long.Parse(request.Form.GetValueOrDefault("ts") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var deadline = TimeProvider.System.GetUtcNow().AddSeconds(1);
            List<(long Ts, string Update)> ready;
            while ((ready = _updates.Where(u => u.Ts > ts).ToList()).Count == 0 && TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(50, context.RequestAborted);
            }

            var next = ready.Count == 0 ? ts : ready.Max(u => u.Ts);
            await JsonAsync(context, "{\"ts\":\"" + next + "\",\"updates\":[" + string.Join(",", ready.Select(u => u.Update)) + "]}");
            return;
        }

        if (request.Method == "upload")
        {
            if (!request.Files.TryGetValue("file", out var bytes))
            {
                await JsonAsync(context, """{"error":"no file"}""");
                return;
            }

            var handle = "upl-" + Guid.NewGuid().ToString("N");
            _uploads[handle] = bytes;
            await JsonAsync(context, "{\"file\":\"" + handle + "\"}");
            return;
        }

        if (request.Method == "upload-photo")
        {
            if (!request.Files.TryGetValue("photo", out var picture))
            {
                await JsonAsync(context, """{"server":1,"photo":"[]","hash":"h"}"""); // VK's answer when the field is missing
                return;
            }

            var handle = "ph-" + Guid.NewGuid().ToString("N");
            _uploads[handle] = picture;
            await JsonAsync(context, "{\"server\":812,\"photo\":\"[{\\\"photo\\\":\\\"" + handle + "\\\"}]\",\"hash\":\"hash-1\"}");
            return;
        }

        if (request.Form.GetValueOrDefault("access_token") != token)
        {
            await JsonAsync(context, """{"error":{"error_code":5,"error_msg":"User authorization failed: invalid access_token (4).","request_params":[]}}""");
            return;
        }

        switch (request.Method)
        {
            case "messages.send":
                long id;
                lock (_byRandomId)
                {
                    var key = request.Form.GetValueOrDefault("peer_id") + "/" + request.Form.GetValueOrDefault("random_id");
                    if (!_byRandomId.TryGetValue(key, out id))
                    {
                        id = ++_ids;
                        _byRandomId[key] = id;
                    }
                }

                await JsonAsync(context, "{\"response\":" + id + "}");
                break;
            case "photos.getMessagesUploadServer":
                await JsonAsync(context, "{\"response\":{\"upload_url\":\"" + BaseUrl + "/upload-photo\",\"album_id\":-3,\"group_id\":" + GroupId + "}}");
                break;
            case "photos.saveMessagesPhoto":
                var handleText = request.Form.GetValueOrDefault("photo") ?? "";
                var uploadKey = _uploads.Keys.FirstOrDefault(k => handleText.Contains(k, StringComparison.Ordinal));
                if (uploadKey is null || request.Form.GetValueOrDefault("hash") != "hash-1" || !_uploads.TryRemove(uploadKey, out var saved))
                {
                    await JsonAsync(context, """{"error":{"error_code":100,"error_msg":"One of the parameters specified was missing or invalid: photo is undefined"}}""");
                    return;
                }

                var photoId = Interlocked.Increment(ref _ids);
                Photos[photoId] = saved;
                await JsonAsync(context, "{\"response\":[{\"id\":" + photoId + ",\"owner_id\":-" + GroupId + ",\"album_id\":-3,\"sizes\":[]}]}");
                break;
            case "docs.getMessagesUploadServer":
                await JsonAsync(context, "{\"response\":{\"upload_url\":\"" + BaseUrl + "/upload\"}}");
                break;
            case "docs.save":
                if (!_uploads.TryRemove(request.Form.GetValueOrDefault("file") ?? "", out var content))
                {
                    await JsonAsync(context, """{"error":{"error_code":100,"error_msg":"One of the parameters specified was missing or invalid: file is undefined"}}""");
                    return;
                }

                var docId = Interlocked.Increment(ref _ids);
                Docs[docId] = (request.Form.GetValueOrDefault("title") ?? "", content);
                await JsonAsync(context, "{\"response\":{\"type\":\"doc\",\"doc\":{\"id\":" + docId + ",\"owner_id\":-" + GroupId + ",\"title\":\"t\",\"size\":" + content.Length + "}}}");
                break;
            case "groups.getLongPollServer":
                await JsonAsync(context, "{\"response\":{\"key\":\"lp-key-1\",\"server\":\"" + BaseUrl + "/lp\",\"ts\":\"" + Interlocked.Read(ref _ts) + "\"}}");
                break;
            case "messages.sendMessageEventAnswer":
                await JsonAsync(context, """{"response":1}""");
                break;
            case "groups.getById":
                await JsonAsync(context, "{\"response\":{\"groups\":[{\"id\":" + GroupId + ",\"name\":\"Omnichat Test\",\"screen_name\":\"omnichat\"}],\"profiles\":[]}}");
                break;
            default:
                await JsonAsync(context, """{"error":{"error_code":3,"error_msg":"Unknown method passed","request_params":[]}}""");
                break;
        }
    }
}

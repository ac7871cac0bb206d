using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Omnichat.Testing.Messengers;

/// <summary>
/// The Telegram Bot API as the adapter sees it: <c>/bot{token}/{method}</c> answering <c>{"ok":true,"result":…}</c>
/// or <c>{"ok":false,"error_code":…,"description":…}</c>, files under <c>/file/bot{token}/{path}</c>, and
/// getUpdates long polling over a queue of updates the test pushes.
/// </summary>
public sealed class FakeTelegram(string token = FakeTelegram.Token) : FakeVendorServer
{
    public const string Token = "123456789:AAFakeTokenForOmnichatTests_abcdefghij";

    private readonly ConcurrentDictionary<string, (string Path, byte[] Content)> _files = new();
    private readonly ConcurrentQueue<JsonObject> _updates = new();
    private long _messageIds = 1000;

    /// <summary>A file the bot can fetch with getFile and download.</summary>
    public void AddFile(string fileId, string path, byte[] content) => _files[fileId] = (path, content);

    /// <summary>An update for getUpdates (polling mode).</summary>
    public void QueueUpdate(JsonObject update) => _updates.Enqueue(update);

    protected override async Task AnswerAsync(HttpContext context, VendorRequest request)
    {
        var path = request.Path;
        if (path.StartsWith($"/file/bot{token}/", StringComparison.Ordinal))
        {
            var file = _files.Values.FirstOrDefault(f => path.EndsWith("/" + f.Path, StringComparison.Ordinal));
            if (file.Content is null)
            {
                context.Response.StatusCode = 404;
                return;
            }

            await context.Response.Body.WriteAsync(file.Content);
            return;
        }

        if (!path.StartsWith($"/bot{token}/", StringComparison.Ordinal))
        {
            await JsonAsync(context, """{"ok":false,"error_code":401,"description":"Unauthorized"}""", 401);
            return;
        }

        var body = request.Body.Length > 0 && request.Body.TrimStart().StartsWith('{') ? JsonNode.Parse(request.Body) as JsonObject : null;
        switch (request.Method)
        {
            case "getMe":
                await JsonAsync(context, """{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Omnichat","username":"omnichat_test_bot"}}""");
                break;
            case "setWebhook":
                await JsonAsync(context, """{"ok":true,"result":true,"description":"Webhook was set"}""");
                break;
            case "sendMessage" or "sendPhoto" or "sendDocument":
                var chatId = body?["chat_id"]?.ToString() ?? request.Form.GetValueOrDefault("chat_id");
                var id = Interlocked.Increment(ref _messageIds);
                await JsonAsync(context, "{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":1700000000,\"chat\":{\"id\":" + chatId + ",\"type\":\"private\"}}}");
                break;
            case "answerCallbackQuery":
                await JsonAsync(context, """{"ok":true,"result":true}""");
                break;
            case "getFile":
                var fileId = body?["file_id"]?.ToString() ?? "";
                await (_files.TryGetValue(fileId, out var f)
                    ? JsonAsync(context, $$$"""{"ok":true,"result":{"file_id":"{{{fileId}}}","file_unique_id":"u{{{fileId}}}","file_size":{{{f.Content.Length}}},"file_path":"{{{f.Path}}}"}}""")
                    : JsonAsync(context, """{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}""", 400));
                break;
            case "getUpdates":
                var offset = body?["offset"]?.GetValue<long>() ?? 0;
                var deadline = TimeProvider.System.GetUtcNow().AddSeconds(Math.Min(body?["timeout"]?.GetValue<int>() ?? 0, 2));
                List<JsonObject> ready;
                while ((ready = _updates.Where(u => u["update_id"]!.GetValue<long>() >= offset).ToList()).Count == 0 && TimeProvider.System.GetUtcNow() < deadline)
                {
                    await Task.Delay(50, context.RequestAborted);
                }

                await JsonAsync(context, new JsonObject { ["ok"] = true, ["result"] = new JsonArray([.. ready.Select(u => (JsonNode)u.DeepClone())]) }.ToJsonString());
                break;
            default:
                await JsonAsync(context, """{"ok":false,"error_code":404,"description":"Not Found: method not found"}""", 404);
                break;
        }
    }
}

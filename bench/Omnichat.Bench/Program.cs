using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

// Omnichat load tool. N client sessions speak the real client protocol (REST + /hubs/client), M operator
// sessions the staff API (REST + /hubs/staff). Each client sends K messages; each message is answered by
// its operator as soon as the operator's hub delivers it. Reported: messages per second and p50/p99
// latency client→operator (send → operator hub push) and operator→client (reply → client hub push).
//
//   dotnet run -c Release --project bench/Omnichat.Bench -- --url http://127.0.0.1:5080 --admin-password … \
//       --clients 50 --operators 10 --messages 20

var options = BenchOptions.Parse(args);
using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(60) };
var admin = await Api.SignInAsync(http, "admin", options.AdminPassword);

var runId = TimeProvider.System.GetUtcNow().ToString("HHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999);
var channel = await Api.PostAsync(http, admin, "/api/v1/channels", new { kind = "webchat", name = $"bench {runId}" });
var channelId = channel.GetProperty("id").GetGuid();
var channelKey = channel.GetProperty("key").GetString()!;
var group = await Api.PostAsync(http, admin, "/api/v1/skill-groups", new { name = $"bench {runId}", channelIds = new[] { channelId } });
var capacity = Math.Min(100, (int)Math.Ceiling(options.Clients / (double)options.Operators) + 1);

var clientToOperator = new ConcurrentBag<double>();
var operatorToClient = new ConcurrentBag<double>();
var sentAt = new ConcurrentDictionary<string, long>();          // clientMessageId → timestamp
var replyWaiters = new ConcurrentDictionary<Guid, TaskCompletionSource>(); // conversationId → client waiting for a reply
var connections = new List<HubConnection>();

Console.WriteLine($"Setting up {options.Operators} operators (capacity {capacity}) and {options.Clients} clients against {options.Url} …");
for (var i = 0; i < options.Operators; i++)
{
    var login = $"bench{runId}o{i}";
    const string password = "Bench-Passw0rd";
    await Api.PostAsync(http, admin, "/api/v1/operators", new
    {
        login, password, displayName = $"Bench operator {i}", skillGroupIds = new[] { group.GetProperty("id").GetGuid() }, capacity,
    });
    var token = await Api.SignInAsync(http, login, password);
    var hub = Api.Hub(options.Url, "/hubs/staff", token);
    hub.On<JsonElement>("message", message =>
    {
        if (message.GetProperty("direction").GetString() != "in")
        {
            return;
        }

        var received = Stopwatch.GetTimestamp();
        var key = message.GetProperty("clientMessageId").GetString()!;
        if (sentAt.TryRemove(key, out var started))
        {
            clientToOperator.Add(Stopwatch.GetElapsedTime(started, received).TotalMilliseconds);
        }

        var conversationId = message.GetProperty("conversationId").GetGuid();
        _ = Task.Run(async () =>
        {
            var replyKey = "r-" + key;
            sentAt[replyKey] = Stopwatch.GetTimestamp();
            await Api.PostAsync(http, token, $"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = replyKey, text = "Ответ оператора" });
        });
    });
    // A newly assigned conversation: its first message was pushed before the assignment, so fetch it.
    hub.On<JsonElement>("conversation", status =>
    {
        if (status.GetProperty("status").GetString() != "assigned")
        {
            return;
        }

        var conversationId = status.GetProperty("conversationId").GetGuid();
        _ = Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/conversations/{conversationId}/messages?afterSeq=0");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var message in page.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("direction").GetString() == "in"))
            {
                var key = message.GetProperty("clientMessageId").GetString()!;
                if (sentAt.TryRemove(key, out var started))
                {
                    clientToOperator.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                var replyKey = "r-" + key;
                sentAt[replyKey] = Stopwatch.GetTimestamp();
                await Api.PostAsync(http, token, $"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = replyKey, text = "Ответ оператора" });
            }
        });
    });
    await hub.StartAsync();
    connections.Add(hub);
    await Api.PutAsync(http, token, "/api/v1/operators/me/status", new { status = "ready" });
}

var clients = new List<(string Token, HubConnection Hub)>();
for (var i = 0; i < options.Clients; i++)
{
    var session = await Api.PostAsync(http, null, "/api/client/v1/sessions", new { channelKey });
    var token = session.GetProperty("token").GetString()!;
    var hub = Api.Hub(options.Url, "/hubs/client", token);
    hub.On<JsonElement>("message", message =>
    {
        if (message.GetProperty("direction").GetString() != "out")
        {
            return;
        }

        var received = Stopwatch.GetTimestamp();
        if (sentAt.TryRemove(message.GetProperty("clientMessageId").GetString()!, out var started))
        {
            operatorToClient.Add(Stopwatch.GetElapsedTime(started, received).TotalMilliseconds);
        }

        if (replyWaiters.TryRemove(message.GetProperty("conversationId").GetGuid(), out var waiter))
        {
            waiter.TrySetResult();
        }
    });
    await hub.StartAsync();
    connections.Add(hub);
    clients.Add((token, hub));
}

Console.WriteLine($"Running: {options.Clients} clients × {options.Messages} messages, each answered by an operator …");
var total = Stopwatch.StartNew();
var failures = 0;
await Parallel.ForEachAsync(clients.Select((c, i) => (c.Token, Index: i)), new ParallelOptions { MaxDegreeOfParallelism = options.Clients }, async (client, ct) =>
{
    for (var m = 0; m < options.Messages; m++)
    {
        var key = $"c{client.Index}-{m}-{runId}";
        sentAt[key] = Stopwatch.GetTimestamp();
        try
        {
            var message = await Api.PostAsync(http, client.Token, "/api/client/v1/messages", new { clientMessageId = key, text = $"Сообщение {m}" });
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            replyWaiters[message.GetProperty("conversationId").GetGuid()] = waiter;
            await waiter.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
        {
            Interlocked.Increment(ref failures);
        }
    }
});
total.Stop();

var messages = clientToOperator.Count + operatorToClient.Count;
Console.WriteLine();
Console.WriteLine($"clients={options.Clients} operators={options.Operators} messages/client={options.Messages} duration={total.Elapsed.TotalSeconds:F1}s failures={failures}");
Console.WriteLine($"throughput: {messages / total.Elapsed.TotalSeconds:F0} messages/s ({clientToOperator.Count} client→operator, {operatorToClient.Count} operator→client)");
Console.WriteLine($"client→operator latency: p50 {Percentile(clientToOperator, 50):F1} ms, p99 {Percentile(clientToOperator, 99):F1} ms, max {clientToOperator.DefaultIfEmpty().Max():F1} ms");
Console.WriteLine($"operator→client latency: p50 {Percentile(operatorToClient, 50):F1} ms, p99 {Percentile(operatorToClient, 99):F1} ms, max {operatorToClient.DefaultIfEmpty().Max():F1} ms");

foreach (var connection in connections)
{
    await connection.DisposeAsync();
}

return failures == 0 ? 0 : 1;

static double Percentile(IEnumerable<double> values, int p)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed record BenchOptions(string Url, string AdminPassword, int Clients, int Operators, int Messages)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable("BENCH_" + name.ToUpperInvariant().Replace('-', '_')) ?? fallback;
        }

        return new BenchOptions(
            Get("url", "http://127.0.0.1:5080"),
            Get("admin-password", ""),
            int.Parse(Get("clients", "20"), CultureInfo.InvariantCulture),
            int.Parse(Get("operators", "5"), CultureInfo.InvariantCulture),
            int.Parse(Get("messages", "10"), CultureInfo.InvariantCulture));
    }
}

internal static class Api
{
    public static async Task<string> SignInAsync(HttpClient http, string login, string password) =>
        (await PostAsync(http, null, "/api/v1/auth/token", new { login, password })).GetProperty("accessToken").GetString()!;

    public static async Task<JsonElement> PostAsync(HttpClient http, string? token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task PutAsync(HttpClient http, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public static HubConnection Hub(string baseUrl, string path, string token) =>
        new HubConnectionBuilder()
            .WithUrl(baseUrl + path, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
}

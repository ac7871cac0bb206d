using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Push;

/// <summary>
/// The push hook against a fake push gateway on a loopback port: a message for a client without a
/// realtime connection is POSTed, signed; a connected client gets none; a failing gateway is retried.
/// </summary>
public sealed class PushHookTests : IAsyncLifetime
{
    private const string Secret = "push-gateway-secret";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<(byte[] Body, string? Signature, string? EventId)> _received = new();
    private int _failuresLeft;
    private WebApplication _gateway = null!;
    private OmnichatApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _gateway = builder.Build();
        _gateway.MapPost("/push", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            _received.Enqueue((buffer.ToArray(), request.Headers["X-Omnichat-Signature"], request.Headers["X-Omnichat-Event-Id"]));
            return Interlocked.Decrement(ref _failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Ok();
        });
        await _gateway.StartAsync(Ct);
        _app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite))
            .WithSetting("Omnichat:Push:GatewayUrl", _gateway.Urls.First() + "/push")
            .WithSetting("Omnichat:Push:Secret", Secret);
        _ = _app.Server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task Messages_for_an_app_without_a_realtime_connection_go_to_the_gateway_signed_and_retried()
    {
        var s = await Scenario.CreateAsync(_app);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Team", channel);
        var (_, op) = await s.OperatorAsync("ann", group);
        var (client, session) = await s.ClientAsync(key);

        async Task<HttpResponseMessage> Register(object body) => await client.PutAsJsonAsync("/api/client/v1/push-token", body, Ct);
        await AssertField(await Register(new { platform = "pager", token = "t" }), "platform");
        await AssertField(await Register(new { platform = "fcm", token = "" }), "token");
        await AssertField(await Register(new { platform = "fcm", token = new string('x', 5000) }), "token");
        Assert.Equal(HttpStatusCode.NoContent, (await Register(new { platform = "fcm", token = "fcm-token-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Register(new { platform = "fcm", token = "fcm-token-1" })).StatusCode); // idempotent

        var id = (await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "c1", text = "Когда доставка?" }, Ct)))
            .GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.TryGetProperty("operatorId", out var o) && o.ValueKind == JsonValueKind.String, "assigned");

        // Connected over the hub: the answer comes there, not through the gateway.
        var hub = Connect(session.GetProperty("token").GetString()!);
        var pushed = new TaskCompletionSource();
        hub.On<JsonElement>("message", m =>
        {
            if (m.GetProperty("text").GetString() == "Завтра")
            {
                pushed.TrySetResult();
            }
        });
        await hub.StartAsync(Ct);
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "o1", text = "Завтра" }, Ct)).EnsureSuccessStatusCode();
        await pushed.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await hub.DisposeAsync();

        // The app went to the background: the next answer goes to the gateway (which fails once first).
        _failuresLeft = 1;
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "o2", text = "Курьер позвонит за час" }, Ct)).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(() => Task.FromResult(_received.Count), n => n >= 2, "delivered after a retry");
        var attempts = _received.ToArray();
        Assert.Equal(attempts[0].EventId, attempts[1].EventId); // the same event: the gateway de-duplicates by it
        var (body, signature, eventId) = attempts[1];
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)), signature);
        var notification = JsonDocument.Parse(body).RootElement;
        Assert.Equal(eventId, notification.GetProperty("eventId").GetGuid().ToString());
        Assert.Equal(id, notification.GetProperty("conversationId").GetGuid());
        Assert.Equal("Курьер позвонит за час", notification.GetProperty("text").GetString());
        var device = Assert.Single(notification.GetProperty("devices").EnumerateArray());
        Assert.Equal(("fcm", "fcm-token-1"), (device.GetProperty("platform").GetString(), device.GetProperty("token").GetString()));
        Assert.DoesNotContain(attempts, a => Encoding.UTF8.GetString(a.Body).Contains("Завтра", StringComparison.Ordinal));

        // Signed out on the device: nothing more is pushed to it.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/client/v1/push-token?token=fcm-token-1", Ct)).StatusCode);
        var before = _received.Count;
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "o3", text = "Ещё одно" }, Ct)).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(async () => (await Scenario.Json(await client.GetAsync("/api/client/v1/messages", Ct))).GetProperty("messages").GetArrayLength(),
            n => n == 4, "the third answer stored");
        await Task.Delay(1000, Ct); // give the dispatcher time to (wrongly) push it
        Assert.Equal(before, _received.Count);
    }

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Scenario.Json(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}', got: {errors}");
    }

    private HubConnection Connect(string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_app.Server.BaseAddress, "/hubs/client"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.WebSocketFactory = async (context, ct) =>
                {
                    var uri = new UriBuilder(context.Uri) { Query = "access_token=" + Uri.EscapeDataString(token) };
                    return await _app.Server.CreateWebSocketClient().ConnectAsync(uri.Uri, ct);
                };
            })
            .Build();
}

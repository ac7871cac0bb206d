using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Realtime;

public abstract class HubTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private OmnichatApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new OmnichatApp(await TestDatabase.CreateAsync(provider), services: s =>
                s.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)))
            .WithSetting("Logging:LogLevel:Default", "Trace")
            .WithSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace")
            .WithSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        _ = _app.Server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _logs.Dispose();
    }

    private HubConnection Connect(string path, string? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_app.Server.BaseAddress, path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }

                // As browsers do: the token travels as access_token in the WebSocket URL.
                o.WebSocketFactory = async (context, ct) =>
                {
                    var uri = new UriBuilder(context.Uri);
                    if (token is not null)
                    {
                        uri.Query = (uri.Query.Length > 1 ? uri.Query[1..] + "&" : "") + "access_token=" + Uri.EscapeDataString(token);
                    }

                    return await _app.Server.CreateWebSocketClient().ConnectAsync(uri.Uri, ct);
                };
            })
            .Build();

    [Fact]
    public async Task ClientHub_PushesTheOperatorsReplyAndStatus_AndTheOperatorSeesClientTyping()
    {
        var s = await Scenario.CreateAsync(_app);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Support", channel);
        var (_, op) = await s.OperatorAsync("hub.operator", group);
        var (client, session) = await s.ClientAsync(key);
        var clientToken = session.GetProperty("token").GetString()!;

        var messages = new ConcurrentQueue<JsonElement>();
        var statuses = new ConcurrentQueue<JsonElement>();
        await using var clientHub = Connect("/hubs/client", clientToken);
        clientHub.On<JsonElement>("message", m => messages.Enqueue(m));
        clientHub.On<JsonElement>("conversation", c => statuses.Enqueue(c));
        await clientHub.StartAsync(Ct);

        var sent = await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "c-1", text = "Привет" }, Ct));
        var conversationId = sent.GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(() => Task.FromResult(statuses.Any(st => st.GetProperty("status").GetString() == "assigned")), b => b, "assigned status pushed");

        var staffTyping = new ConcurrentQueue<JsonElement>();
        var staffToken = op.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var staffHub = Connect("/hubs/staff", staffToken);
        staffHub.On<JsonElement>("typing", t => staffTyping.Enqueue(t));
        await staffHub.StartAsync(Ct);
        await clientHub.InvokeAsync("Typing", true, Ct);
        await Scenario.EventuallyAsync(() => Task.FromResult(staffTyping.Count), n => n > 0, "client typing seen by the operator");
        Assert.Equal(conversationId, staffTyping.First().GetProperty("conversationId").GetGuid());

        await op.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "o-1", text = "Здравствуйте!" }, Ct);
        var pushed = await Scenario.EventuallyAsync(
            () => Task.FromResult(messages.FirstOrDefault(m => m.GetProperty("direction").GetString() == "out")),
            m => m.ValueKind == JsonValueKind.Object, "operator reply pushed to the client");
        Assert.Equal("Здравствуйте!", pushed.GetProperty("text").GetString());
        Assert.Equal(2, pushed.GetProperty("seq").GetInt64());

        // The client token is never written to the logs, even at trace level.
        var leaks = _logs.Lines.Where(l => l.Contains(clientToken, StringComparison.Ordinal) || l.Contains(staffToken, StringComparison.Ordinal))
            .Select(l => l[..Math.Min(l.Length, 300)]).ToList();
        Assert.True(leaks.Count == 0, "Token in logs:\n" + string.Join("\n", leaks));
    }

    [Theory]
    [InlineData("/hubs/client", null)]
    [InlineData("/hubs/client", "forged")]
    [InlineData("/hubs/staff", null)]
    public async Task Hubs_WithoutAValidToken_RefuseTheConnection(string path, string? token)
    {
        await using var hub = Connect(path, token);
        await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync(Ct));
        Assert.NotEqual(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task ClientHub_RefusesAStaffToken()
    {
        var admin = await _app.AdminClientAsync();
        await using var hub = Connect("/hubs/client", admin.DefaultRequestHeaders.Authorization!.Parameter);
        await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync(Ct));
    }
}

public sealed class HubTestsOnSqlite() : HubTests(DatabaseProvider.Sqlite);

public sealed class HubTestsOnPostgres() : HubTests(DatabaseProvider.Postgres);

/// <summary>Keeps every log line (message and exception) for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception} {state}");
    }
}

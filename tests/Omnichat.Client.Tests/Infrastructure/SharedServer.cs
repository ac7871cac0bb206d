using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Client.Tests.Infrastructure;

/// <summary>One real server (SQLite) for a test class; each test makes its own channel, so tests do not meet.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    private ServerHost? _server;

    public ServerHost Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _server = await ServerHost.StartAsync(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Client settings for tests: short retry delays so reconnects happen within a test's patience.</summary>
public static class TestClients
{
    public static OmnichatClient Create(
        Uri server, string channelKey, IOmnichatStore? store = null, OmnichatUser? user = null, HttpMessageHandler? handler = null) =>
        new(new OmnichatClientOptions
        {
            ServerUri = server,
            ChannelKey = channelKey,
            Store = store ?? new InMemoryOmnichatStore(),
            User = user,
            HttpMessageHandler = handler,
            RetryInitialDelay = TimeSpan.FromMilliseconds(200),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
            RequestTimeout = TimeSpan.FromSeconds(15),
        });
}

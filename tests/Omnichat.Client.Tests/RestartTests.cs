using System.Text.Json;
using Omnichat.Client.Tests.Infrastructure;
using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Client.Tests;

/// <summary>App restarts and server restarts: the offline queue and the last seen message live in a <see cref="FileOmnichatStore"/>.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _appData = Path.Combine(Path.GetTempPath(), $"omnichat-sdk-{Guid.NewGuid():N}");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_appData))
        {
            Directory.Delete(_appData, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task OfflineQueue_SurvivesAppAndServerRestart_EveryMessageStoredAndShownOnce_InOrder()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var port = ServerHost.FreePort();
        await using var server = await ServerHost.StartAsync(database, port);
        var channel = await (await Staff.ForAsync(server)).ChannelAsync();

        // Run 1: the first message reaches the server but its answer is lost; then the server goes away.
        var firstRun = new List<string?>();
        IReadOnlyList<PendingMessage> queued;
        Guid clientId;
        using (var store = new FileOmnichatStore(_appData))
        using (var network = new LoseSendAnswers())
        {
            await using var app = TestClients.Create(server.BaseAddress, channel.Key, store, handler: network);
            var recorder = new Recorder(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            clientId = app.Session!.ClientId;
            Assert.False((await app.SendAsync("first", TestContext.Current.CancellationToken)).IsSent);
            await Eventually.TrueAsync(() => network.Sends > 0, "the first message to reach the server");

            await server.DisposeAsync();
            await recorder.WaitForStateAsync(app, ConnectionState.Reconnecting);
            Assert.False((await app.SendAsync("second", TestContext.Current.CancellationToken)).IsSent);
            Assert.False((await app.SendAsync("third", TestContext.Current.CancellationToken)).IsSent);
            queued = await app.GetPendingMessagesAsync(TestContext.Current.CancellationToken);
            firstRun.AddRange(recorder.Texts);
        }

        Assert.Equal(["first", "second", "third"], queued.Select(p => p.Text));
        using (var reopened = new FileOmnichatStore(_appData))
        {
            Assert.Equal(queued.Select(p => p.ClientMessageId), (await reopened.GetQueueAsync(Assert.Single(await QueueNamesAsync(reopened)), TestContext.Current.CancellationToken)).Select(p => p.ClientMessageId));
        }

        // Run 2: the server is back on the same database and port; the app starts again over the same folder.
        await using var restarted = await ServerHost.StartAsync(database, port);
        var staff = await Staff.ForAsync(restarted);
        var secondRun = new List<string?>();
        Guid conversationId;
        long lastSeq;
        using (var store = new FileOmnichatStore(_appData))
        {
            await using var app = TestClients.Create(restarted.BaseAddress, channel.Key, store);
            var recorder = new Recorder(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            await Eventually.HoldsAsync(() => app.GetPendingMessagesAsync(), p => p.Count == 0, "the queue to be sent after the restart");
            await Eventually.HoldsAsync(() => recorder.Texts, t => firstRun.Concat(t).Count() >= 3, "the sent messages to reach the app");
            Assert.Equal(clientId, app.Session!.ClientId);

            var stored = (await app.GetMessagesAsync(TestContext.Current.CancellationToken)).Messages
                .Where(m => m.Direction == MessageDirection.In).ToList();
            Assert.Equal(["first", "second", "third"], stored.Select(m => m.Text));
            Assert.Equal(queued.Select(p => p.ClientMessageId), stored.Select(m => m.ClientMessageId));
            Assert.Equal(stored.Select(m => m.Seq).Order(), stored.Select(m => m.Seq));
            conversationId = stored[0].ConversationId;
            Assert.Equal(3, (await staff.MessagesAsync(conversationId)).Count(m => m.GetProperty("direction").GetString() == "in"));

            await Staff.ReplyAsync(staff.Admin, conversationId, "answer");
            await recorder.WaitForTextAsync("answer");
            secondRun.AddRange(recorder.Texts);
            lastSeq = recorder.Messages[^1].Seq;
        }

        // Across both runs the app saw every message exactly once.
        Assert.Equal(["first", "second", "third", "answer"], firstRun.Concat(secondRun));

        // Run 3: a plain app restart reports nothing old again, only what is new.
        using (var store = new FileOmnichatStore(_appData))
        {
            await using var app = TestClients.Create(restarted.BaseAddress, channel.Key, store);
            var recorder = new Recorder(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            await app.CatchUpAsync(TestContext.Current.CancellationToken);
            Assert.Empty(recorder.Messages);
            Assert.Equal(lastSeq, app.LastSeenSeq);

            await Staff.ReplyAsync(staff.Admin, conversationId, "later");
            await recorder.WaitForTextAsync("later");
            Assert.Equal(["later"], recorder.Texts);
        }
    }

    /// <summary>The queue names in a store file (the SDK's own naming stays private to it).</summary>
    private static async Task<IReadOnlyList<string>> QueueNamesAsync(FileOmnichatStore store)
    {
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(store.FilePath, TestContext.Current.CancellationToken));
        return [.. file.RootElement.GetProperty("queues").EnumerateObject().Select(p => p.Name)];
    }

    /// <summary>Every send reaches the server, every answer is lost (the app was killed before it arrived, say).</summary>
    private sealed class LoseSendAnswers() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/api/client/v1/messages", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _sends);
                response.Dispose();
                throw new HttpRequestException("The answer was lost (simulated).");
            }

            return response;
        }
    }
}

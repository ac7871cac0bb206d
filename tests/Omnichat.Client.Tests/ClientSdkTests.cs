using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Omnichat.Client.Tests.Infrastructure;

namespace Omnichat.Client.Tests;

/// <summary>The SDK against one real server (Kestrel on loopback, SQLite): what a mobile app does.</summary>
public sealed class ClientSdkTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ServerHost Server => shared.Server;

    [Fact]
    public async Task SendAndReceive_OperatorReplyArrivesInRealtime_WithStatusTypingCloseAndANewConversation()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        var group = await staff.GroupAsync("Support", channel.Id);
        var (_, operatorName, op) = await staff.OperatorAsync("olga.sdk", group);
        var clientTyping = new ConcurrentQueue<JsonElement>();
        await using var staffHub = new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "hubs/staff"), o => o.AccessTokenProvider = () => Task.FromResult(op.DefaultRequestHeaders.Authorization?.Parameter))
            .Build();
        staffHub.On<JsonElement>("typing", t => clientTyping.Enqueue(t));
        await staffHub.StartAsync(TestContext.Current.CancellationToken);

        await using var client = TestClients.Create(Server.BaseAddress, channel.Key);
        var app = new Recorder(client);
        await client.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ConnectionState.Connected, client.ConnectionState);
        Assert.Null(client.Conversation);

        var sent = await client.SendAsync("Здравствуйте", TestContext.Current.CancellationToken);
        Assert.True(sent.IsSent);
        Assert.Equal(1, sent.Message!.Seq);
        Assert.Equal(MessageDirection.In, sent.Message.Direction);
        Assert.Equal(sent.Pending.ClientMessageId, sent.Message.ClientMessageId);
        var conversationId = sent.Message.ConversationId;

        // Routing assigns the ready operator; the status arrives through the hub.
        var assigned = await Eventually.HoldsAsync(
            () => client.Conversation, c => c is { Status: ConversationStatus.Assigned } && c.OperatorName == operatorName, "the conversation to be assigned");
        Assert.Equal(conversationId, assigned!.Id);

        await client.SendTypingAsync(true, TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => clientTyping.Any(t => t.GetProperty("from").GetString() == "client"), "the operator to see the client typing");
        await staffHub.InvokeAsync("Typing", conversationId, true, TestContext.Current.CancellationToken);
        var typing = await Eventually.HoldsAsync(() => app.Typing, t => t.Count > 0, "the client to see the operator typing");
        Assert.Equal(conversationId, typing[0].ConversationId);
        Assert.Equal("operator", typing[0].From);
        Assert.True(typing[0].IsTyping);

        await Staff.ReplyAsync(op, conversationId, "Добрый день!");
        var received = await app.WaitForTextAsync("Добрый день!");
        var reply = received.Single(m => m.Text == "Добрый день!");
        Assert.Equal(MessageDirection.Out, reply.Direction);
        Assert.Equal(ActorKind.Operator, reply.Author.Kind);
        Assert.Equal(operatorName, reply.Author.Name);
        Assert.Equal(2, reply.Seq);

        await Staff.CloseAsync(op, conversationId);
        var closed = await Eventually.HoldsAsync(() => app.Closed, c => c.Count > 0, "ConversationClosed");
        Assert.Equal(conversationId, Assert.Single(closed).Id);
        Assert.False(client.Conversation!.IsOpen);

        var again = await client.SendAsync("Ещё вопрос", TestContext.Current.CancellationToken);
        Assert.NotEqual(conversationId, again.Message!.ConversationId);
        await app.WaitForTextAsync("Ещё вопрос");
        await Eventually.TrueAsync(() => client.Conversation?.Id == again.Message.ConversationId, "the new conversation to become current");

        Assert.Equal(["Здравствуйте", "Добрый день!", "Ещё вопрос"], app.Texts);
        Assert.Equal(app.Messages.Count, app.Messages.Select(m => m.Id).Distinct().Count());
        Assert.Empty(await client.GetPendingMessagesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitingForAnOperator_TheQueuePositionIsReported()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        await staff.GroupAsync("Nobody ready", channel.Id);
        await using var first = TestClients.Create(Server.BaseAddress, channel.Key);
        await using var second = TestClients.Create(Server.BaseAddress, channel.Key);
        var firstApp = new Recorder(first);
        var secondApp = new Recorder(second);
        await first.StartAsync(TestContext.Current.CancellationToken);
        await second.StartAsync(TestContext.Current.CancellationToken);

        var a = (await first.SendAsync("first in line", TestContext.Current.CancellationToken)).Message!;
        await Eventually.TrueAsync(() => firstApp.QueuePositions.Any(p => p.ConversationId == a.ConversationId && p.Position == 1), "position 1 for the first client");
        var b = (await second.SendAsync("second in line", TestContext.Current.CancellationToken)).Message!;
        await Eventually.TrueAsync(() => secondApp.QueuePositions.Any(p => p.ConversationId == b.ConversationId && p.Position == 2), "position 2 for the second client");
        Assert.All(firstApp.QueuePositions, p => Assert.Equal(a.ConversationId, p.ConversationId));
        Assert.Equal(ConversationStatus.Queued, (await Eventually.HoldsAsync(() => second.Conversation, c => c?.Status == ConversationStatus.Queued, "queued status"))!.Status);
    }

    [Fact]
    public async Task IdempotentResend_AnswerLostAfterTheServerStoredIt_IsResentWithTheSameKey_AndStoredOnce()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        using var network = new LoseFirstSendAnswer();
        await using var client = TestClients.Create(Server.BaseAddress, channel.Key, handler: network);
        var app = new Recorder(client);
        await client.StartAsync(TestContext.Current.CancellationToken);

        var result = await client.SendAsync("once", TestContext.Current.CancellationToken);

        // The server stored it, but the app never heard back: it stays queued and is retried.
        Assert.False(result.IsSent);
        await Eventually.HoldsAsync(() => client.GetPendingMessagesAsync(), p => p.Count == 0, "the retry to empty the queue");
        await app.WaitForTextAsync("once");
        Assert.Equal(result.Pending.ClientMessageId, Assert.Single(network.SentKeys.Distinct()));
        Assert.True(network.SentKeys.Count >= 2, "the message was sent again");

        var history = await client.GetMessagesAsync(TestContext.Current.CancellationToken);
        var stored = Assert.Single(history.Messages);
        Assert.Equal("once", stored.Text);
        Assert.Equal(result.Pending.ClientMessageId, stored.ClientMessageId);

        // Reported to the app once, although it came back from the resend, the push and the catch-up.
        await client.CatchUpAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["once"], app.Texts);
        Assert.Empty(app.SendFailed);
    }

    [Fact]
    public async Task ForcedDisconnect_RepliesSentMeanwhileArriveExactlyOnce_AndTheQueuedMessageIsSent()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        await using var network = new TcpProxy(Server.Port);
        await using var client = TestClients.Create(network.BaseAddress, channel.Key);
        var app = new Recorder(client);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var first = await client.SendAsync("hello", TestContext.Current.CancellationToken);
        var conversationId = first.Message!.ConversationId;
        await Staff.ReplyAsync(staff.Admin, conversationId, "r1");
        await app.WaitForTextAsync("r1");

        // The network drops; the operator answers meanwhile. Reconnecting alone must bring the answers.
        network.Cut();
        await app.WaitForStateAsync(client, ConnectionState.Reconnecting);
        await Staff.ReplyAsync(staff.Admin, conversationId, "r2");
        await Staff.ReplyAsync(staff.Admin, conversationId, "r3");
        Assert.DoesNotContain("r2", app.Texts);
        network.Restore();
        await app.WaitForStateAsync(client, ConnectionState.Connected);
        await Eventually.HoldsAsync(() => app.Texts, t => t.Contains("r3"), "the replies missed while offline");

        // It drops again; the user writes meanwhile. The queued message goes out when the network is back.
        network.Cut();
        await app.WaitForStateAsync(client, ConnectionState.Reconnecting);
        var offline = await client.SendAsync("while offline", TestContext.Current.CancellationToken);
        Assert.False(offline.IsSent);
        Assert.Single(await client.GetPendingMessagesAsync(TestContext.Current.CancellationToken));
        network.Restore();
        await app.WaitForTextAsync("while offline");
        await Eventually.HoldsAsync(() => client.GetPendingMessagesAsync(), p => p.Count == 0, "the queue to be sent");

        await Staff.ReplyAsync(staff.Admin, conversationId, "r4");
        await app.WaitForTextAsync("r4");
        await client.CatchUpAsync(TestContext.Current.CancellationToken);

        var server = await client.GetMessagesAsync(0, 500, null, TestContext.Current.CancellationToken);
        var expected = server.Messages.Select(m => m.Id).ToList();
        await Eventually.HoldsAsync(() => app.Messages.Select(m => m.Id).ToList(), ids => ids.SequenceEqual(expected), "the app to have every stored message");
        Assert.Equal(expected, app.Messages.Select(m => m.Id));
        Assert.Equal(app.Messages.Select(m => m.Seq).Order(), app.Messages.Select(m => m.Seq));
        Assert.Equal(["hello", "r1", "r2", "r3", "while offline", "r4"], app.Texts);
        Assert.True(network.Forwarded > 1, "the client reconnected through the proxy");
    }

    [Fact]
    public async Task ForgedStoredToken_IsReplaced_AndTheSameClientContinues()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        var store = new KeyTrackingStore();
        Guid clientId;
        await using (var before = TestClients.Create(Server.BaseAddress, channel.Key, store))
        {
            var beforeApp = new Recorder(before);
            await before.StartAsync(TestContext.Current.CancellationToken);
            Assert.True((await before.SendAsync("before restart", TestContext.Current.CancellationToken)).IsSent);
            await beforeApp.WaitForTextAsync("before restart");
            clientId = before.Session!.ClientId;
        }

        // The stored token no longer works (revoked, keys rotated, tampered): the server answers 401.
        var sessionKey = Assert.Single(store.Keys, k => k.EndsWith(":session", StringComparison.Ordinal));
        var session = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>((await store.GetValueAsync(sessionKey, TestContext.Current.CancellationToken))!)!;
        session["token"] = JsonSerializer.SerializeToElement("forged-token");
        await store.SetValueAsync(sessionKey, JsonSerializer.Serialize(session), TestContext.Current.CancellationToken);

        await using var after = TestClients.Create(Server.BaseAddress, channel.Key, store);
        var app = new Recorder(after);
        await after.StartAsync(TestContext.Current.CancellationToken);
        Assert.True((await after.SendAsync("after restart", TestContext.Current.CancellationToken)).IsSent);
        await app.WaitForStateAsync(after, ConnectionState.Connected);

        Assert.Equal(clientId, after.Session!.ClientId);
        var history = await after.GetMessagesAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["before restart", "after restart"], history.Messages.Select(m => m.Text));
        await app.WaitForTextAsync("after restart");
        Assert.Equal(["after restart"], app.Texts);

        // Sign-out: the device forgets the client; the next start is somebody new.
        await after.ResetAsync(TestContext.Current.CancellationToken);
        Assert.False(after.IsRunning);
        Assert.Null(after.Session);
        await after.StartAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(clientId, after.Session!.ClientId);
        Assert.Null((await after.GetMessagesAsync(TestContext.Current.CancellationToken)).Conversation);
    }

    [Fact]
    public async Task VerifiedUser_IsTheSameClientOnEveryDevice_ATamperedHashGetsAnAnonymousSession()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        var hash = channel.UserHash("crm-42");
        var tampered = (hash[0] == '0' ? "1" : "0") + hash[1..];

        await using var phone = TestClients.Create(Server.BaseAddress, channel.Key, user: new OmnichatUser { ExternalId = "crm-42", UserHash = hash, Name = "Иван" });
        await phone.StartAsync(TestContext.Current.CancellationToken);
        var sent = await phone.SendAsync("from the phone", TestContext.Current.CancellationToken);
        await using var tablet = TestClients.Create(Server.BaseAddress, channel.Key, user: new OmnichatUser
        {
            ExternalId = "crm-42", UserHash = hash, Fields = new Dictionary<string, string> { ["contract"] = "Д-2024/17" },
        });
        await tablet.StartAsync(TestContext.Current.CancellationToken);
        await using var forged = TestClients.Create(Server.BaseAddress, channel.Key, user: new OmnichatUser { ExternalId = "crm-42", UserHash = tampered });
        await forged.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(phone.Session!.ClientId, tablet.Session!.ClientId);
        Assert.NotEqual(phone.Session.ClientId, forged.Session!.ClientId);
        // The verified user's custom fields reach the client card.
        var card = await staff.Admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/conversations/{sent.Message!.ConversationId}/client", TestContext.Current.CancellationToken);
        Assert.Equal("Д-2024/17", card.GetProperty("fields").GetProperty("contract").GetString());
        Assert.Equal(["from the phone"], (await tablet.GetMessagesAsync(TestContext.Current.CancellationToken)).Messages.Select(m => m.Text));
        var strangersView = await forged.GetMessagesAsync(TestContext.Current.CancellationToken);
        Assert.Null(strangersView.Conversation);
        Assert.Empty(strangersView.Messages);

        // Where the channel admits verified users only, the tampered hash is refused outright.
        var strict = await staff.ChannelAsync("Account", requireVerifiedUser: true);
        await using var refused = TestClients.Create(Server.BaseAddress, strict.Key, user: new OmnichatUser { ExternalId = "crm-42", UserHash = tampered });
        var error = await Assert.ThrowsAsync<OmnichatClientException>(() => refused.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(403, error.Status);
        Assert.Equal("user.userHash", error.Field);
        Assert.False(refused.IsRunning);
    }

    [Fact]
    public async Task BadInput_ThrowsOmnichatClientException_NamingTheField_AndNothingStaysQueued()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        await using var client = TestClients.Create(Server.BaseAddress, channel.Key);
        var app = new Recorder(client);
        await client.StartAsync(TestContext.Current.CancellationToken);

        foreach (var empty in new[] { "", "   \n" })
        {
            var local = await Assert.ThrowsAsync<OmnichatClientException>(() => client.SendAsync(empty, TestContext.Current.CancellationToken));
            Assert.Equal("text", local.Field);
            Assert.Equal(400, local.Status);
        }

        var tooLong = await Assert.ThrowsAsync<OmnichatClientException>(() => client.SendAsync(new string('я', 4001), TestContext.Current.CancellationToken));
        Assert.Equal(400, tooLong.Status);
        Assert.Equal("text", tooLong.Field);
        Assert.Contains("4000", tooLong.Errors["text"][0], StringComparison.Ordinal);
        Assert.False(tooLong.IsTransient);
        var failed = Assert.Single(app.SendFailed);
        Assert.Equal("text", failed.Error.Field);
        Assert.Equal(4001, failed.Message.Text.Length);
        Assert.Empty(await client.GetPendingMessagesAsync(TestContext.Current.CancellationToken));
        Assert.Null((await client.GetMessagesAsync(TestContext.Current.CancellationToken)).Conversation);

        Assert.True((await client.SendAsync(new string('я', 4000), TestContext.Current.CancellationToken)).IsSent);
        var email = await Assert.ThrowsAsync<OmnichatClientException>(() => client.RequestTranscriptAsync("not-an-address", TestContext.Current.CancellationToken));
        Assert.Equal("email", email.Field);
        var paging = await Assert.ThrowsAsync<OmnichatClientException>(() => client.GetMessagesAsync(0, 100_000, null, TestContext.Current.CancellationToken));
        Assert.Equal("limit", paging.Field);

        await using var unknown = TestClients.Create(Server.BaseAddress, "no-such-channel");
        var notFound = await Assert.ThrowsAsync<OmnichatClientException>(() => unknown.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(404, notFound.Status);
    }

    [Fact]
    public async Task Transcript_IsQueuedForTheGivenAddress_AndTheAddressIsRemembered()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        await using var client = TestClients.Create(Server.BaseAddress, channel.Key);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var noConversation = await Assert.ThrowsAsync<OmnichatClientException>(() => client.RequestTranscriptAsync("ivan@example.com", TestContext.Current.CancellationToken));
        Assert.Equal("conversationId", noConversation.Field);
        await client.SendAsync("Пришлите историю", TestContext.Current.CancellationToken);

        var receipt = await client.RequestTranscriptAsync("ivan@example.com", TestContext.Current.CancellationToken);
        var again = await client.RequestTranscriptAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ivan@example.com", receipt.Email);
        Assert.NotEqual(Guid.Empty, receipt.MailId);
        Assert.Equal("ivan@example.com", again.Email);
        Assert.NotEqual(receipt.MailId, again.MailId);
    }

    [Fact]
    public async Task PushToken_IsRegisteredAndRemoved_ABadPlatformNamesTheField()
    {
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync();
        await using var client = TestClients.Create(Server.BaseAddress, channel.Key);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await client.RegisterPushTokenAsync("fcm", "device-token-1", TestContext.Current.CancellationToken);
        await client.RegisterPushTokenAsync("fcm", "device-token-1", TestContext.Current.CancellationToken); // idempotent
        var bad = await Assert.ThrowsAsync<OmnichatClientException>(() => client.RegisterPushTokenAsync("pager", "x", TestContext.Current.CancellationToken));
        Assert.Equal("platform", bad.Field);
        await client.RemovePushTokenAsync("device-token-1", TestContext.Current.CancellationToken);
    }

    /// <summary>Lets the first send reach the server, then drops its answer (a connection reset on the way back).</summary>
    private sealed class LoseFirstSendAnswer() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _lost;

        public ConcurrentQueue<string> SentKeysQueue { get; } = new();

        public IReadOnlyList<string> SentKeys => [.. SentKeysQueue];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var isSend = request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/api/client/v1/messages", StringComparison.Ordinal);
            if (isSend)
            {
                using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
                SentKeysQueue.Enqueue(body.RootElement.GetProperty("clientMessageId").GetString()!);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (isSend && Interlocked.Exchange(ref _lost, 1) == 0)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived (simulated).");
            }

            return response;
        }
    }

    /// <summary>An in-memory store that remembers which keys the SDK wrote (to tamper with the stored token).</summary>
    private sealed class KeyTrackingStore : IOmnichatStore
    {
        private readonly InMemoryOmnichatStore _inner = new();
        private readonly ConcurrentDictionary<string, byte> _keys = new();

        public IReadOnlyList<string> Keys => [.. _keys.Keys];

        public Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default) => _inner.GetValueAsync(key, cancellationToken);

        public Task SetValueAsync(string key, string? value, CancellationToken cancellationToken = default)
        {
            _keys[key] = 0;
            return _inner.SetValueAsync(key, value, cancellationToken);
        }

        public Task<IReadOnlyList<PendingMessage>> GetQueueAsync(string queue, CancellationToken cancellationToken = default) =>
            _inner.GetQueueAsync(queue, cancellationToken);

        public Task EnqueueAsync(string queue, PendingMessage message, CancellationToken cancellationToken = default) =>
            _inner.EnqueueAsync(queue, message, cancellationToken);

        public Task<bool> RemoveFromQueueAsync(string queue, string clientMessageId, CancellationToken cancellationToken = default) =>
            _inner.RemoveFromQueueAsync(queue, clientMessageId, cancellationToken);
    }
}

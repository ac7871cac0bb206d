using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Api;

public abstract class ClientProtocolTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string clientMessageId, string? text) =>
        client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId, text }, Ct);

    [Fact]
    public async Task Session_ForUnknownOrDisabledChannel_Is404Or403()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, disabledKey) = await s.ChannelAsync("Off", enabled: false);
        var http = App.CreateClient();

        await AssertProblemAsync(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "no-such-key" }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = disabledKey }, Ct), HttpStatusCode.Forbidden);
        await AssertInvalidFieldAsync(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "" }, Ct), "channelKey");
        await AssertInvalidFieldAsync(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "k", visitorId = "../../etc" }, Ct), "visitorId");
    }

    [Fact]
    public async Task ReturningVisitor_ContinuesTheSameClientAndOpenConversation()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (first, session) = await s.ClientAsync(key);
        var sent = await Scenario.Json(await SendAsync(first, "m-1", "Здравствуйте"));

        var (again, resumed) = await s.ClientAsync(key, session.GetProperty("visitorId").GetString());

        Assert.Equal(session.GetProperty("clientId").GetGuid(), resumed.GetProperty("clientId").GetGuid());
        Assert.Equal(session.GetProperty("visitorId").GetString(), resumed.GetProperty("visitorId").GetString());
        var history = await Scenario.Json(await again.GetAsync("/api/client/v1/messages?afterSeq=0", Ct));
        Assert.Equal(sent.GetProperty("conversationId").GetGuid(), history.GetProperty("conversation").GetProperty("id").GetGuid());
        Assert.Equal("Здравствуйте", Assert.Single(history.GetProperty("messages").EnumerateArray()).GetProperty("text").GetString());

        var (_, stranger) = await s.ClientAsync(key, "unknown-visitor-id");
        Assert.NotEqual(session.GetProperty("clientId").GetGuid(), stranger.GetProperty("clientId").GetGuid());
    }

    [Fact]
    public async Task Send_IsIdempotentByClientMessageId()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (client, _) = await s.ClientAsync(key);

        var first = await SendAsync(client, "same-key", "one");
        var second = await SendAsync(client, "same-key", "one (resent)");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await Scenario.Json(first);
        var b = await Scenario.Json(second);
        Assert.Equal(a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());
        Assert.Equal(1, a.GetProperty("seq").GetInt64());
        Assert.Equal("one", b.GetProperty("text").GetString());
        var history = await Scenario.Json(await client.GetAsync("/api/client/v1/messages", Ct));
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task RacingFirstMessages_OpenExactlyOneConversation_WithGaplessSequence()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (client, _) = await s.ClientAsync(key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => SendAsync(client, $"race-{i}", $"message {i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(Scenario.Json));
        Assert.Single(bodies.Select(b => b.GetProperty("conversationId").GetGuid()).Distinct());
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), bodies.Select(b => b.GetProperty("seq").GetInt64()).Order());
        await App.InScopeAsync(async db => Assert.Equal(1, await db.Conversations.CountAsync(Ct)));
    }

    [Fact]
    public async Task RacingDuplicates_StoreOneMessage()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (client, _) = await s.ClientAsync(key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(client, "dup", "hello")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single((await Task.WhenAll(responses.Select(Scenario.Json))).Select(b => b.GetProperty("id").GetGuid()).Distinct());
        await App.InScopeAsync(async db => Assert.Equal(1, await db.Messages.CountAsync(Ct)));
    }

    [Fact]
    public async Task AfterSeq_ReturnsOnlyNewerMessages_InOrder_AndPages()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (client, _) = await s.ClientAsync(key);
        for (var i = 1; i <= 5; i++)
        {
            (await SendAsync(client, $"k{i}", $"text {i}")).EnsureSuccessStatusCode();
        }

        var after3 = await Scenario.Json(await client.GetAsync("/api/client/v1/messages?afterSeq=3", Ct));
        Assert.Equal([4L, 5L], after3.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.False(after3.GetProperty("hasMore").GetBoolean());

        var page = await Scenario.Json(await client.GetAsync("/api/client/v1/messages?afterSeq=0&limit=2", Ct));
        Assert.Equal([1L, 2L], page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.True(page.GetProperty("hasMore").GetBoolean());
        Assert.Equal("in", page.GetProperty("messages")[0].GetProperty("direction").GetString());
        Assert.Equal("client", page.GetProperty("messages")[0].GetProperty("author").GetProperty("kind").GetString());

        await AssertInvalidFieldAsync(await client.GetAsync("/api/client/v1/messages?afterSeq=-1", Ct), "afterSeq");
        await AssertInvalidFieldAsync(await client.GetAsync("/api/client/v1/messages?limit=100000", Ct), "limit");
    }

    [Theory]
    [InlineData("", "text")]
    [InlineData("   ", "text")]
    [InlineData(null, "text")]
    public async Task Send_EmptyText_Is400(string? text, string field)
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (client, _) = await s.ClientAsync(key);
        await AssertInvalidFieldAsync(await SendAsync(client, "k", text), field);
    }

    [Fact]
    public async Task Send_OverTheLimitOrBadKeyOrAttachments_Is400_AndStoresNothing()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (client, _) = await s.ClientAsync(key);

        var tooLong = await AssertProblemAsync(await SendAsync(client, "k", new string('я', 4001)), HttpStatusCode.BadRequest);
        Assert.Contains("4000", tooLong.GetProperty("errors").GetProperty("text")[0].GetString(), StringComparison.Ordinal);
        await AssertInvalidFieldAsync(await SendAsync(client, "", "hi"), "clientMessageId");
        await AssertInvalidFieldAsync(await SendAsync(client, "<script>", "hi"), "clientMessageId");
        await AssertInvalidFieldAsync(
            await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "a", text = "x", attachmentIds = new[] { Guid.NewGuid() } }, Ct),
            "attachmentIds[0]");
        await AssertInvalidFieldAsync(
            await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "b", attachmentIds = Enumerable.Range(0, 11).Select(_ => Guid.NewGuid()) }, Ct),
            "attachmentIds");
        await AssertInvalidFieldAsync(
            await client.PostAsync("/api/client/v1/messages", new StringContent("{\"clientMessageId\":5}", Encoding.UTF8, "application/json"), Ct),
            "clientMessageId");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "ok", new string('я', 4000))).StatusCode);
        await App.InScopeAsync(async db => Assert.Equal(1, await db.Messages.CountAsync(Ct)));
    }

    [Fact]
    public async Task Tokens_AreScoped_ClientsAndStaffCannotUseEachOthers_OrForeignConversations()
    {
        var s = await Scenario.CreateAsync(App);
        var (_, key) = await s.ChannelAsync();
        var (alice, _) = await s.ClientAsync(key);
        var (bob, _) = await s.ClientAsync(key);
        var alices = await Scenario.Json(await SendAsync(alice, "a-1", "Alice's secret"));
        var conversationId = alices.GetProperty("conversationId").GetGuid();

        await AssertProblemAsync(await bob.GetAsync($"/api/client/v1/messages?conversationId={conversationId}", Ct), HttpStatusCode.NotFound);
        var bobsView = await Scenario.Json(await bob.GetAsync("/api/client/v1/messages", Ct));
        Assert.Empty(bobsView.GetProperty("messages").EnumerateArray());

        // A client token on the staff API and a staff token on the client API are both refused.
        await AssertProblemAsync(await alice.GetAsync("/api/v1/conversations", Ct), HttpStatusCode.Unauthorized);
        var staffOnClientApi = App.CreateClient();
        staffOnClientApi.DefaultRequestHeaders.Authorization = s.Admin.DefaultRequestHeaders.Authorization;
        await AssertProblemAsync(await staffOnClientApi.GetAsync("/api/client/v1/messages", Ct), HttpStatusCode.Unauthorized);

        var noToken = App.CreateClient();
        await AssertProblemAsync(await SendAsync(noToken, "x", "y"), HttpStatusCode.Unauthorized);
        noToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged.token.value");
        await AssertProblemAsync(await SendAsync(noToken, "x", "y"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task FullConversation_ClientWrites_OperatorGetsItAndAnswers_ClientSeesIt_CloseThenNewConversation()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Support", channel);
        var (operatorId, op) = await s.OperatorAsync("olga", group);
        var (client, _) = await s.ClientAsync(key);

        var first = await Scenario.Json(await SendAsync(client, "c-1", "<img src=x onerror=alert(1)> Помогите"));
        var conversationId = first.GetProperty("conversationId").GetGuid();

        var mine = await Scenario.EventuallyAsync(
            async () => await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=mine", Ct)),
            page => page.GetProperty("total").GetInt32() == 1, "the conversation assigned to the ready operator");
        var item = mine.GetProperty("items")[0];
        Assert.Equal(conversationId, item.GetProperty("id").GetGuid());
        Assert.Equal("assigned", item.GetProperty("status").GetString());
        Assert.Equal(operatorId, item.GetProperty("operatorId").GetGuid());
        Assert.Equal(group, item.GetProperty("skillGroupId").GetGuid());
        Assert.Equal(1, item.GetProperty("unread").GetInt64());

        var history = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{conversationId}/messages?afterSeq=0", Ct));
        Assert.Equal("<img src=x onerror=alert(1)> Помогите", history.GetProperty("messages")[0].GetProperty("text").GetString());

        var reply = await op.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "o-1", text = "Добрый день!" }, Ct);
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        Assert.Equal(2, (await Scenario.Json(reply)).GetProperty("seq").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "o-1", text = "Добрый день!" }, Ct)).StatusCode);

        var seen = await Scenario.Json(await client.GetAsync("/api/client/v1/messages?afterSeq=1", Ct));
        var answer = Assert.Single(seen.GetProperty("messages").EnumerateArray());
        Assert.Equal("Добрый день!", answer.GetProperty("text").GetString());
        Assert.Equal("out", answer.GetProperty("direction").GetString());
        Assert.Equal("Op olga", answer.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("Op olga", seen.GetProperty("conversation").GetProperty("operatorName").GetString());

        var note = await op.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "o-note", text = "internal", note = true }, Ct);
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        var clientView = await Scenario.Json(await client.GetAsync("/api/client/v1/messages?afterSeq=0", Ct));
        Assert.DoesNotContain(clientView.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "internal");

        var closed = await op.PostAsync($"/api/v1/conversations/{conversationId}/close", null, Ct);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("closed", (await Scenario.Json(closed)).GetProperty("status").GetString());
        await AssertProblemAsync(await op.PostAsync($"/api/v1/conversations/{conversationId}/close", null, Ct), HttpStatusCode.Conflict);

        var again = await Scenario.Json(await SendAsync(client, "c-2", "Ещё вопрос"));
        Assert.NotEqual(conversationId, again.GetProperty("conversationId").GetGuid());
        Assert.Equal(1, again.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Queue_WaitsWhenNobodyIsReady_AndIsTakenWhenAnOperatorBecomesReady_WithinCapacity()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Sales", channel);
        var (_, op) = await s.OperatorAsync("ivan", group, capacity: 2, ready: false);
        for (var i = 0; i < 3; i++)
        {
            var (client, _) = await s.ClientAsync(key);
            (await SendAsync(client, "first", $"client {i}")).EnsureSuccessStatusCode();
        }

        var queue = await Scenario.EventuallyAsync(
            async () => await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=queue", Ct)),
            page => page.GetProperty("total").GetInt32() == 3, "three queued conversations");
        Assert.All(queue.GetProperty("items").EnumerateArray(), c => Assert.Equal("queued", c.GetProperty("status").GetString()));

        (await op.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(
            async () => (await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=mine&status=assigned", Ct))).GetProperty("total").GetInt32(),
            n => n == 2, "two assigned (capacity 2)");
        await Task.Delay(300, Ct);
        Assert.Equal(1, (await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=queue", Ct))).GetProperty("total").GetInt32());
        Assert.Equal(2, (await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=mine", Ct))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task StaffApi_BadQueriesAndForeignConversations_AreClear4xx()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("G", channel);
        var other = await s.GroupAsync("Other");
        var (_, outsider) = await s.OperatorAsync("outsider", other);
        var (client, _) = await s.ClientAsync(key);
        var conversationId = (await Scenario.Json(await SendAsync(client, "c", "hello"))).GetProperty("conversationId").GetGuid();

        await AssertInvalidFieldAsync(await outsider.GetAsync("/api/v1/conversations?scope=everything", Ct), "scope");
        await AssertInvalidFieldAsync(await outsider.GetAsync("/api/v1/conversations?status=open", Ct), "status");
        await AssertInvalidFieldAsync(await outsider.GetAsync("/api/v1/conversations?pageSize=0", Ct), "pageSize");
        await AssertInvalidFieldAsync(await outsider.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "asleep" }, Ct), "status");
        await AssertProblemAsync(await outsider.GetAsync($"/api/v1/conversations/{conversationId}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.GetAsync($"/api/v1/conversations/{conversationId}/messages", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await outsider.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "x", text = "intrusion" }, Ct),
            HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.PostAsync($"/api/v1/conversations/{conversationId}/close", null, Ct), HttpStatusCode.NotFound);
        var all = await Scenario.Json(await outsider.GetAsync("/api/v1/conversations?scope=all", Ct));
        Assert.Equal(0, all.GetProperty("total").GetInt32());
        Assert.Equal(1, (await Scenario.Json(await s.Admin.GetAsync("/api/v1/conversations?scope=all", Ct))).GetProperty("total").GetInt32());
        _ = group;
    }
}

/// <summary>Token lifetime and identity verification (SQLite: about tokens and hashing, not storage).</summary>
public sealed class ClientSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExpiredClientToken_Is401_AndANewSessionWithTheVisitorIdContinuesTheClient()
    {
        // Time is moved, not waited for: a one-second lifetime raced a busy machine.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite), services: sv => sv.AddSingleton<TimeProvider>(time))
            .WithSetting("Omnichat:ClientSessions:TokenLifetime", "01:00:00");
        var s = await Scenario.CreateAsync(app);
        var (_, key) = await s.ChannelAsync();
        var (client, session) = await s.ClientAsync(key);
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/client/v1/messages", Ct)).StatusCode);

        time.Advance(TimeSpan.FromMinutes(2));
        var expired = await client.GetAsync("/api/client/v1/messages", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);

        var (_, again) = await s.ClientAsync(key, session.GetProperty("visitorId").GetString());
        Assert.Equal(session.GetProperty("clientId").GetGuid(), again.GetProperty("clientId").GetGuid());
    }

    [Fact]
    public async Task VerifiedUser_JoinsTheSameClientAcrossDevices_AWrongHashStaysAnonymous()
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        var admin = await app.AdminClientAsync();
        var channel = await Scenario.Json(await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Site" }, Ct));
        var key = channel.GetProperty("key").GetString()!;
        var secret = channel.GetProperty("secret").GetString()!;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes("crm-42")));
        var http = app.CreateClient();

        async Task<Guid> SessionAsync(object user) =>
            (await Scenario.Json(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key, user }, Ct))).GetProperty("clientId").GetGuid();

        var phone = await SessionAsync(new { externalId = "crm-42", userHash = hash, name = "Иван" });
        var laptop = await SessionAsync(new { externalId = "crm-42", userHash = hash.ToUpperInvariant() });
        var forged = await SessionAsync(new { externalId = "crm-42", userHash = new string('0', 64) });

        Assert.Equal(phone, laptop);
        Assert.NotEqual(phone, forged);
    }

    [Fact]
    public async Task ChannelRequiringVerifiedUsers_RefusesAnonymousAndForgedSessions()
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        var admin = await app.AdminClientAsync();
        var channel = await Scenario.Json(await admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "webchat", name = "Личный кабинет", settings = new { requireVerifiedUser = true } }, Ct));
        var key = channel.GetProperty("key").GetString()!;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(channel.GetProperty("secret").GetString()!), System.Text.Encoding.UTF8.GetBytes("user-7")));
        var http = app.CreateClient();

        var anonymous = await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal("user.userHash", (await Scenario.Json(anonymous)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden,
            (await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key, user = new { externalId = "user-7", userHash = "00" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key, user = new { externalId = "user-7", userHash = hash } }, Ct)).StatusCode);
    }
}

public sealed class ClientProtocolTestsOnSqlite() : ClientProtocolTests(DatabaseProvider.Sqlite);

public sealed class ClientProtocolTestsOnPostgres() : ClientProtocolTests(DatabaseProvider.Postgres);

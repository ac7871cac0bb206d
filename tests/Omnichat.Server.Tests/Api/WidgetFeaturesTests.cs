using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Api;

/// <summary>Client-side features of the widget through the client API: pre-chat form and topics, availability, rating.</summary>
public abstract class WidgetFeaturesTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync("/api/client/v1/messages", body, Ct);

    [Fact]
    public async Task Pre_chat_topic_selects_the_group_through_a_routing_rule_and_consent_is_required_when_configured()
    {
        var s = await Scenario.CreateAsync(App);
        var created = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/channels", new
        {
            kind = "webchat", name = "Shop",
            settings = new
            {
                preChat = new
                {
                    enabled = true, name = "required", email = "optional", phone = "shout",
                    topics = new[] { "Оплата", "Доставка", "bad\u0007topic", "Оплата" }, consentText = "Согласен на обработку данных",
                },
            },
        }, Ct));
        var channel = created.GetProperty("id").GetGuid();
        var key = created.GetProperty("key").GetString()!;
        await s.GroupAsync("General", channel);
        var pay = await s.GroupAsync("Payments");
        (await s.Admin.PostAsJsonAsync("/api/v1/routing-rules", new { position = 1, topic = "оплата", skillGroupId = pay }, Ct)).EnsureSuccessStatusCode();

        var config = await Scenario.Json(await App.CreateClient().GetAsync($"/api/client/v1/channels/{key}/config", Ct));
        var preChat = config.GetProperty("preChat");
        Assert.True(preChat.GetProperty("enabled").GetBoolean());
        Assert.Equal("required", preChat.GetProperty("name").GetString());
        Assert.Equal("off", preChat.GetProperty("phone").GetString());
        Assert.Equal(["Оплата", "Доставка"], preChat.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

        var (client, _) = await s.ClientAsync(key);
        await AssertInvalidFieldAsync(await SendAsync(client, new { clientMessageId = "a", text = "hi", topic = "Оплата" }), "consent");
        await AssertInvalidFieldAsync(await SendAsync(client, new { clientMessageId = "a", text = "hi", topic = "<script>", consent = true }), "topic");
        var sent = await SendAsync(client, new { clientMessageId = "a", text = "hi", topic = "ОПЛАТА", consent = true });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var id = (await Scenario.Json(sent)).GetProperty("conversationId").GetGuid();
        var conversation = await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "queued", "queued");
        Assert.Equal(pay, conversation.GetProperty("skillGroupId").GetGuid());
        Assert.Equal("Оплата", conversation.GetProperty("topic").GetString());
        // Later messages of the same conversation need neither.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, new { clientMessageId = "b", text = "more" })).StatusCode);
    }

    [Fact]
    public async Task Availability_tells_the_widget_whether_anybody_is_working_for_the_channel()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Team", channel);
        var anonymous = App.CreateClient();
        async Task<bool> Online() => (await Scenario.Json(await anonymous.GetAsync($"/api/client/v1/channels/{key}/availability", Ct))).GetProperty("online").GetBoolean();
        Assert.False(await Online());
        var (_, op) = await s.OperatorAsync("ann", group);
        Assert.True(await Online());
        (await op.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "not-ready", reason = "lunch" }, Ct)).EnsureSuccessStatusCode();
        Assert.False(await Online());
        await AssertProblemAsync(await anonymous.GetAsync("/api/client/v1/channels/no-such-key/availability", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_client_rates_a_closed_conversation_once()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Team", channel);
        var (_, op) = await s.OperatorAsync("ann", group);
        var (client, _) = await s.ClientAsync(key);
        var id = (await Scenario.Json(await SendAsync(client, new { clientMessageId = "a", text = "hi" }))).GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String && st.GetString() == "assigned", "assigned");
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/client/v1/rating", new { conversationId = id, score = 5 }, Ct), HttpStatusCode.Conflict);
        // The client sees how far the operator has read (read marks).
        Assert.Equal(0, (await Scenario.Json(await client.GetAsync("/api/client/v1/messages", Ct))).GetProperty("conversation").GetProperty("operatorReadSeq").GetInt64());
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/read", new { seq = 1 }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(1, (await Scenario.Json(await client.GetAsync("/api/client/v1/messages", Ct))).GetProperty("conversation").GetProperty("operatorReadSeq").GetInt64());

        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct)).EnsureSuccessStatusCode();
        await AssertInvalidFieldAsync(await client.PostAsJsonAsync("/api/client/v1/rating", new { conversationId = id, score = 6 }, Ct), "score");
        await AssertInvalidFieldAsync(await client.PostAsJsonAsync("/api/client/v1/rating", new { conversationId = id }, Ct), "score");
        var (stranger, _) = await s.ClientAsync(key);
        await AssertProblemAsync(await stranger.PostAsJsonAsync("/api/client/v1/rating", new { conversationId = id, score = 1 }, Ct), HttpStatusCode.NotFound);

        var rated = await client.PostAsJsonAsync("/api/client/v1/rating", new { score = 4, comment = "  Быстро <b>помогли</b> " }, Ct);
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal("Быстро <b>помогли</b>", (await Scenario.Json(rated)).GetProperty("comment").GetString());
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/client/v1/rating", new { conversationId = id, score = 5 }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("rated", (await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}", Ct))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_who_ends_the_chat_while_waiting_abandoned_it_and_an_offered_operator_is_released()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Team", channel);
        (await s.Admin.PutAsJsonAsync($"/api/v1/skill-groups/{group}", new { name = "Team", channelIds = new[] { channel }, autoAccept = false, offerTimeoutSeconds = 600 }, Ct))
            .EnsureSuccessStatusCode();
        var (ann, _) = await s.OperatorAsync("ann", group);
        var (client, _) = await s.ClientAsync(key);
        await AssertProblemAsync(await client.PostAsync("/api/client/v1/conversation/end", null, Ct), HttpStatusCode.NotFound);
        var id = (await Scenario.Json(await SendAsync(client, new { clientMessageId = "a", text = "hi" }))).GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.TryGetProperty("offeredOperatorId", out var o) && o.ValueKind == JsonValueKind.String, "offered");
        Assert.Equal(1, (await Scenario.Json(await s.Admin.GetAsync($"/api/v1/operators/{ann}", Ct))).GetProperty("load").GetInt32());

        var ended = await Scenario.Json(await client.PostAsync("/api/client/v1/conversation/end", null, Ct));
        Assert.True(ended.GetProperty("abandoned").GetBoolean());
        Assert.Equal("closed", ended.GetProperty("status").GetString());
        Assert.Equal(0, (await Scenario.Json(await s.Admin.GetAsync($"/api/v1/operators/{ann}", Ct))).GetProperty("load").GetInt32());
        var types = new List<string>();
        await App.InScopeAsync(async db => types.AddRange(await db.ConversationEvents.Where(e => e.ConversationId == Omnichat.Core.Kernel.ConversationId.From(id))
            .OrderBy(e => e.Id).Select(e => e.Type).ToListAsync(Ct)));
        Assert.Equal(["opened", "queued", "offered", "abandoned", "closed"], types);
    }
}

public sealed class WidgetFeaturesTestsOnSqlite() : WidgetFeaturesTests(DatabaseProvider.Sqlite);

public sealed class WidgetFeaturesTestsOnPostgres() : WidgetFeaturesTests(DatabaseProvider.Postgres);

/// <summary>A flood of session starts from one address is refused with 429.</summary>
public sealed class SessionRateLimitTests
{
    [Fact]
    public async Task Session_starts_beyond_the_per_address_limit_get_429_with_retry_after()
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite))
            .WithSetting("Omnichat:ClientSessions:PerAddressPerMinute", "3");
        var s = await Scenario.CreateAsync(app);
        var (_, key) = await s.ChannelAsync();
        var http = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key }, TestContext.Current.CancellationToken)).StatusCode);
        }

        var refused = await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null);
        // Other endpoints are not limited by it.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/client/v1/channels/{key}/config", TestContext.Current.CancellationToken)).StatusCode);
    }
}

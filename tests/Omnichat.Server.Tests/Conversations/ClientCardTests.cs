using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Conversations;

/// <summary>The client card, omnichannel history and how long conversations open (newest page first).</summary>
public abstract class ClientCardTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> VerifiedClientAsync(string key, string secret, string externalId)
    {
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(externalId)));
        var session = await Scenario.Json(await App.CreateClient().PostAsJsonAsync("/api/client/v1/sessions",
            new { channelKey = key, user = new { externalId, userHash = hash, name = "Ирина" } }, Ct));
        var http = App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return http;
    }

    private static async Task<Guid> WriteAsync(Scenario s, HttpClient client, string id, string text)
    {
        var conversation = (await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = id, text }, Ct)))
            .GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{conversation}", Ct)),
            c => c.GetProperty("status").GetString() == "assigned", "assigned");
        return conversation;
    }

    [Fact]
    public async Task The_card_and_history_follow_a_verified_client_across_channels_within_what_I_may_see()
    {
        var s = await Scenario.CreateAsync(App);
        async Task<(Guid Id, string Key, string Secret)> ChannelAsync(string name)
        {
            var c = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name }, Ct));
            return (c.GetProperty("id").GetGuid(), c.GetProperty("key").GetString()!, c.GetProperty("secret").GetString()!);
        }

        var site = await ChannelAsync("Сайт");
        var app = await ChannelAsync("Приложение");
        var group = await s.GroupAsync("Все каналы", site.Id, app.Id);
        var (_, op) = await s.OperatorAsync("card.op", group);

        var onSite = await VerifiedClientAsync(site.Key, site.Secret, "crm-7");
        var first = await WriteAsync(s, onSite, "s1", "Вопрос с сайта");
        await op.PostAsJsonAsync($"/api/v1/conversations/{first}/close", new { }, Ct);
        (await onSite.PostAsJsonAsync("/api/client/v1/rating", new { conversationId = first, score = 4, comment = "<b>ok</b>" }, Ct)).EnsureSuccessStatusCode();

        var inApp = await VerifiedClientAsync(app.Key, app.Secret, "crm-7");
        var second = await WriteAsync(s, inApp, "a1", "Вопрос из приложения");

        var card = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{second}/client", Ct));
        Assert.Equal("Ирина", card.GetProperty("displayName").GetString());
        Assert.Equal(2, card.GetProperty("conversations").GetInt32());
        // One verified site user (the same on both channels) plus the two devices' visitor ids.
        var identities = card.GetProperty("identities").EnumerateArray().ToList();
        Assert.Equal(3, identities.Count);
        var user = Assert.Single(identities, i => i.GetProperty("verified").GetBoolean());
        Assert.Equal("user:crm-7", user.GetProperty("externalId").GetString());
        Assert.Equal(4, card.GetProperty("ratings")[0].GetProperty("score").GetInt32());

        var history = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{second}/history", Ct));
        var earlier = Assert.Single(history.EnumerateArray());
        Assert.Equal(first, earlier.GetProperty("id").GetGuid());
        Assert.Equal("Сайт", earlier.GetProperty("channelName").GetString());
        Assert.Equal(4, earlier.GetProperty("rating").GetInt32());
        var messages = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{second}/history/{first}/messages", Ct));
        Assert.Equal("Вопрос с сайта", messages.GetProperty("messages")[0].GetProperty("text").GetString());

        // Someone outside: nothing; an id of a conversation that is not this client's: nothing.
        var (_, outsider) = await s.OperatorAsync("card.out", await s.GroupAsync("Чужие"));
        await AssertProblemAsync(await outsider.GetAsync($"/api/v1/conversations/{second}/client", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.GetAsync($"/api/v1/conversations/{second}/history", Ct), HttpStatusCode.NotFound);
        var (stranger, _) = await s.ClientAsync(site.Key, "someone-else");
        var strangers = await WriteAsync(s, stranger, "x1", "чужой вопрос");
        await AssertProblemAsync(await op.GetAsync($"/api/v1/conversations/{second}/history/{strangers}/messages", Ct), HttpStatusCode.NotFound);

        // Editing: bad values name the field; good ones are kept as typed (a hostile name stays text).
        await AssertInvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/conversations/{second}/client", new { displayName = "Ирина", email = "not-mail" }, Ct), "email");
        await AssertInvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/conversations/{second}/client", new { displayName = "Ирина", phone = "call me" }, Ct), "phone");
        await AssertInvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/conversations/{second}/client", new { displayName = "a\r\nb" }, Ct), "displayName");
        var saved = await Scenario.Json(await op.PutAsJsonAsync($"/api/v1/conversations/{second}/client",
            new { displayName = "<img src=x onerror=alert(1)> Ирина", email = "irina@example.com", phone = "+7 (900) 123-45-67" }, Ct));
        Assert.Equal("<img src=x onerror=alert(1)> Ирина", saved.GetProperty("displayName").GetString());
        Assert.Equal("irina@example.com", saved.GetProperty("email").GetString());
        Assert.Equal("+7 (900) 123-45-67", saved.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task Custom_fields_of_a_verified_user_reach_the_card_and_templates_and_anonymous_ones_are_not_kept()
    {
        var s = await Scenario.CreateAsync(App);
        var channel = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Кабинет" }, Ct));
        var (key, secret) = (channel.GetProperty("key").GetString()!, channel.GetProperty("secret").GetString()!);
        var group = await s.GroupAsync("Поля", channel.GetProperty("id").GetGuid());
        var (_, op) = await s.OperatorAsync("fields.op", group);
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("crm-5")));
        async Task<HttpResponseMessage> StartAsync(object user) =>
            await App.CreateClient().PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key, user }, Ct);

        // Bad names and values are refused naming the field.
        await AssertInvalidFieldAsync(await StartAsync(new { externalId = "crm-5", userHash = hash, fields = new Dictionary<string, string> { ["Bad-Name"] = "1" } }),
            "user.fields");
        await AssertInvalidFieldAsync(await StartAsync(new { externalId = "crm-5", userHash = hash, fields = new { contract = "a\u0000b" } }), "user.fields");
        await AssertInvalidFieldAsync(await StartAsync(new { externalId = "crm-5", userHash = hash,
            fields = Enumerable.Range(0, 21).ToDictionary(i => $"f{i}", i => "v") }), "user.fields");

        var session = await Scenario.Json(await StartAsync(new { externalId = "crm-5", userHash = hash, fields = new { contract = "Д-2024/17", tariff = "<b>Премиум</b>" } }));
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        var conversation = await WriteAsync(s, client, "f1", "Вопрос по договору");
        var card = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{conversation}/client", Ct));
        Assert.Equal("Д-2024/17", card.GetProperty("fields").GetProperty("contract").GetString());
        Assert.Equal("<b>Премиум</b>", card.GetProperty("fields").GetProperty("tariff").GetString());

        var template = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/templates",
            new { scope = "global", title = "Договор", text = "Договор {client.fields.contract}, тариф {client.fields.tariff}{client.fields.missing}." }, Ct));
        var used = await Scenario.Json(await op.PostAsJsonAsync($"/api/v1/templates/{template.GetProperty("id").GetGuid()}/use",
            new { conversationId = conversation }, Ct));
        Assert.Equal("Договор Д-2024/17, тариф <b>Премиум</b>.", used.GetProperty("text").GetString());

        // A later session changes one field and removes another (empty value); an anonymous visitor's fields are not kept.
        (await StartAsync(new { externalId = "crm-5", userHash = hash, fields = new { contract = "Д-2025/01", tariff = "" } })).EnsureSuccessStatusCode();
        card = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{conversation}/client", Ct));
        Assert.Equal("Д-2025/01", card.GetProperty("fields").GetProperty("contract").GetString());
        Assert.False(card.GetProperty("fields").TryGetProperty("tariff", out _));
        var anonymous = await Scenario.Json(await StartAsync(new { name = "Аноним", fields = new { contract = "поддельный" } }));
        var guest = App.CreateClient();
        guest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", anonymous.GetProperty("token").GetString());
        var guestConversation = await WriteAsync(s, guest, "g1", "Я аноним");
        var guestCard = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{guestConversation}/client", Ct));
        Assert.Empty(guestCard.GetProperty("fields").EnumerateObject());
    }

    [Fact]
    public async Task A_long_conversation_opens_with_its_newest_page_and_pages_back()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Long", channel);
        var (_, op) = await s.OperatorAsync("long.op", group);
        var (client, _) = await s.ClientAsync(key);
        var id = await WriteAsync(s, client, "m0", "0");
        for (var i = 1; i < 250; i++)
        {
            await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = $"m{i}", text = $"{i}" }, Ct);
        }

        var latest = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}/messages/latest", Ct));
        var seqs = latest.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(151, 100).Select(i => (long)i), seqs);
        Assert.True(latest.GetProperty("hasMore").GetBoolean());
        var before = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}/messages/latest?beforeSeq=51&limit=500", Ct));
        Assert.Equal(50, before.GetProperty("messages").GetArrayLength());
        Assert.False(before.GetProperty("hasMore").GetBoolean());
        await AssertInvalidFieldAsync(await op.GetAsync($"/api/v1/conversations/{id}/messages/latest?beforeSeq=0", Ct), "beforeSeq");
        await AssertInvalidFieldAsync(await op.GetAsync($"/api/v1/conversations/{id}/messages/latest?limit=501", Ct), "limit");
    }
}

public sealed class ClientCardTestsOnSqlite() : ClientCardTests(DatabaseProvider.Sqlite);

public sealed class ClientCardTestsOnPostgres() : ClientCardTests(DatabaseProvider.Postgres);

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing.Messengers;

namespace Omnichat.Server.Tests.Channels;

/// <summary>Telegram end to end against the fake Bot API: webhook → conversation → operator reply → sendMessage → delivered.</summary>
public abstract class TelegramChannelTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Secret = "X-Telegram-Bot-Api-Secret-Token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Telegram has no idempotency key, so a send that outlives the timeout is retried and arrives twice; these tests
    /// count sends exactly and script no slow answers, so a loaded CI machine gets a generous timeout.
    /// </summary>
    protected override void Configure(OmnichatApp app) => app.WithSetting("Omnichat:Messengers:RequestTimeout", "00:00:20");

    private static string Update(long updateId, long chatId, string? text, string extra = "")
    {
        var textField = text is null ? "" : ",\"text\":" + System.Text.Json.JsonSerializer.Serialize(text);
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + (updateId + 7) + ",\"date\":1700000000,"
               + "\"chat\":{\"id\":" + chatId + ",\"type\":\"private\",\"first_name\":\"Иван\"},"
               + "\"from\":{\"id\":" + chatId + ",\"is_bot\":false,\"first_name\":\"Иван\",\"last_name\":\"<b>Петров</b>\",\"language_code\":\"ru\"}"
               + textField + extra + ",\"some_future_field\":{\"x\":1}}}";
    }

    private async Task<(Scenario S, FakeTelegram Fake, Guid Channel, string Secret, HttpClient Op)> SetUpAsync(FakeTelegram fake, object? extraSettings = null)
    {
        var s = await Scenario.CreateAsync(App);
        var settings = new JsonObject { ["botToken"] = FakeTelegram.Token, ["apiBaseUrl"] = fake.BaseUrl };
        foreach (var (k, v) in JsonSerializerHelper(extraSettings))
        {
            settings[k] = v?.DeepClone();
        }

        var (channel, secret) = await MessengerTestKit.ChannelAsync(s, "telegram", settings, "Telegram bot");
        var group = await s.GroupAsync("Telegram support", channel);
        var (_, op) = await s.OperatorAsync("tg.op", group);
        return (s, fake, channel, secret, op);
    }

    private async Task<int?> RatingAsync(Guid id)
    {
        int? rating = null;
        await App.InScopeAsync(async db => rating = await db.Conversations.Where(c => c.Id == ConversationId.From(id)).Select(c => c.Rating).SingleAsync(Ct));
        return rating;
    }

    private static JsonObject JsonSerializerHelper(object? extra) =>
        extra is null ? [] : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject();

    [Fact]
    public async Task A_Telegram_message_reaches_an_operator_whose_reply_is_sent_and_delivered_once()
    {
        await using var fake = new FakeTelegram();
        var (s, _, channel, secret, op) = await SetUpAsync(fake);

        // Forged or missing secret: 401 and nothing stored.
        Assert.Equal(HttpStatusCode.Unauthorized, (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, Update(1, 5_000_000_001, "hi"), (Secret, "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, Update(1, 5_000_000_001, "hi"))).StatusCode);
        Assert.Equal(0, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));

        // The update, then Telegram's redelivery of it: one message.
        var body = Update(100, 5_000_000_001, "Здравствуйте, <script>alert(1)</script>");
        Assert.Equal(HttpStatusCode.OK, (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, body, (Secret, secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, body, (Secret, secret))).StatusCode);
        var conversation = await MessengerTestKit.AssignedConversationAsync(s, channel);
        var id = conversation.GetProperty("id").GetGuid();
        Assert.Equal("telegram", conversation.GetProperty("channelKind").GetString());
        var messages = await MessengerTestKit.MessagesAsync(op, id);
        var inbound = Assert.Single(messages, m => m.GetProperty("direction").GetString() == "in");
        Assert.Equal("Здравствуйте, <script>alert(1)</script>", inbound.GetProperty("text").GetString());
        Assert.Equal(1, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));
        var card = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}/client", Ct));
        Assert.Equal("Иван <b>Петров</b>", card.GetProperty("displayName").GetString());

        // The operator answers: sendMessage to the chat (a 64-bit id), and the mark becomes delivered.
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "op-1", text = "Добрый день! Чем помочь?" }, Ct)).EnsureSuccessStatusCode();
        var sent = Assert.Single(await fake.WaitForAsync("sendMessage"));
        var json = JsonNode.Parse(sent.Body)!;
        Assert.Equal("5000000001", json["chat_id"]!.ToString());
        Assert.Equal("Добрый день! Чем помочь?", json["text"]!.GetValue<string>());
        await MessengerTestKit.DeliveryAsync(op, id, "op-1", "delivered");

        // A private note is never sent.
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "note-1", text = "internal", note = true }, Ct)).EnsureSuccessStatusCode();
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "op-2", text = "second" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "op-2", "delivered");
        Assert.DoesNotContain(fake.Calls("sendMessage"), c => c.Body.Contains("internal", StringComparison.Ordinal));
        Assert.Equal(2, fake.Calls("sendMessage").Count);
    }

    [Fact]
    public async Task An_outage_of_the_vendor_delays_replies_which_are_then_delivered_exactly_once_in_order()
    {
        await using var fake = new FakeTelegram();
        var (s, _, channel, secret, op) = await SetUpAsync(fake);
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, Update(1, 42, "help"), (Secret, secret))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        fake.Script("sendMessage", new ScriptedAnswer(502, "<html>Bad Gateway</html>", "text/html"), times: 3);
        fake.Script("sendMessage", new ScriptedAnswer(429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"""));
        fake.Script("sendMessage", new ScriptedAnswer(500, """{"ok":false,"error_code":500,"description":"Internal Server Error"}"""));
        for (var i = 1; i <= 3; i++)
        {
            (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = $"r{i}", text = $"reply {i}" }, Ct)).EnsureSuccessStatusCode();
        }

        await MessengerTestKit.DeliveryAsync(op, id, "r3", "delivered");
        var calls = fake.Calls("sendMessage");
        Assert.Equal(5 + 3, calls.Count); // five refused attempts, then each reply once
        var delivered = calls.Skip(5).Select(c => JsonNode.Parse(c.Body)!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(["reply 1", "reply 2", "reply 3"], delivered);
        // retry_after was honoured: at least a second between the 429 and the next attempt.
        Assert.True(calls[4].At - calls[3].At >= TimeSpan.FromSeconds(0.95), $"{calls[4].At - calls[3].At}");
    }

    [Fact]
    public async Task A_permanent_refusal_marks_the_reply_failed_without_retrying()
    {
        await using var fake = new FakeTelegram();
        var (s, _, channel, secret, op) = await SetUpAsync(fake);
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, Update(1, 43, "help"), (Secret, secret))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        fake.Script("sendMessage", new ScriptedAnswer(403, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"""));
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "blocked", text = "hello?" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "blocked", "failed");
        await Task.Delay(800, Ct);
        Assert.Single(fake.Calls("sendMessage"));
        var error = "";
        await App.InScopeAsync(async db => error = (await db.MessengerDeliveries.SingleAsync(Ct)).LastError ?? "");
        Assert.Contains("blocked", error, StringComparison.Ordinal);
        var deliveries = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}/deliveries", Ct));
        var failed = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Contains("bot was blocked", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(await op.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/deliveries", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task After_closing_the_client_gets_rating_buttons_and_a_press_rates_the_conversation()
    {
        await using var fake = new FakeTelegram();
        var (s, _, channel, secret, op) = await SetUpAsync(fake);
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, Update(1, 44, "help"), (Secret, secret))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct)).EnsureSuccessStatusCode();

        var prompt = JsonNode.Parse(Assert.Single(await fake.WaitForAsync("sendMessage")).Body)!;
        var buttons = prompt["reply_markup"]!["inline_keyboard"]![0]!.AsArray();
        Assert.Equal(["rate:1", "rate:2", "rate:3", "rate:4", "rate:5"], buttons.Select(b => b!["callback_data"]!.GetValue<string>()));

        var press = """
            {"update_id":2,"callback_query":{"id":"cb-77","from":{"id":44,"is_bot":false,"first_name":"Иван"},
             "message":{"message_id":1001,"date":1700000000,"chat":{"id":44,"type":"private"}},"chat_instance":"1","data":"rate:4"}}
            """;
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, press, (Secret, secret))).EnsureSuccessStatusCode();
        Assert.Equal("cb-77", JsonNode.Parse(Assert.Single(await fake.WaitForAsync("answerCallbackQuery")).Body)!["callback_query_id"]!.GetValue<string>());
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "rated", "rated");
        Assert.Equal(4, await RatingAsync(id));

        // A second press changes nothing and opens nothing.
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, press.Replace("\"update_id\":2", "\"update_id\":3").Replace("rate:4", "rate:1"), (Secret, secret)))
            .EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(() => MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(e => e.Status == Core.Channels.Messengers.InboundEventStatus.Done, Ct)),
            n => n == 3, "all events processed");
        Assert.Equal(4, await RatingAsync(id));
        Assert.Equal(1, await MessengerTestKit.CountAsync(App, db => db.Conversations.CountAsync(Ct)));
    }

    [Fact]
    public async Task Photos_locations_and_contacts_arrive_readable_and_polling_mode_needs_no_webhook()
    {
        await using var fake = new FakeTelegram();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        fake.AddFile("photo-big", "photos/file_1.png", png);
        var (s, _, channel, _, op) = await SetUpAsync(fake, new { mode = "polling" });

        fake.QueueUpdate(JsonNode.Parse(Update(500, 45, null,
            ""","caption":"вот","photo":[{"file_id":"photo-small","file_unique_id":"a","width":1,"height":1},{"file_id":"photo-big","file_unique_id":"b","width":1,"height":1,"file_size":70}]""" ))!.AsObject());
        fake.QueueUpdate(JsonNode.Parse(Update(501, 45, null, ""","location":{"latitude":55.751244,"longitude":37.618423}"""))!.AsObject());
        fake.QueueUpdate(JsonNode.Parse(Update(502, 45, null, ""","contact":{"phone_number":"+79001234567","first_name":"Иван","user_id":45}"""))!.AsObject());
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();
        var messages = await Scenario.EventuallyAsync(() => MessengerTestKit.MessagesAsync(op, id), m => m.Count(x => x.GetProperty("direction").GetString() == "in") == 3, "three messages");
        var photo = messages.FirstOrDefault(m => m.GetProperty("text").GetString() == "вот");
        Assert.True(photo.ValueKind == System.Text.Json.JsonValueKind.Object, string.Join("\n", messages));
        Assert.Equal("image/png", Assert.Single(photo.GetProperty("attachments").EnumerateArray()).GetProperty("contentType").GetString());
        Assert.Contains(messages, m => m.GetProperty("text").GetString()!.StartsWith("📍 55.751244, 37.618423", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.GetProperty("text").GetString() == "👤 Иван, +79001234567");
        var card = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}/client", Ct));
        Assert.Equal("+79001234567", card.GetProperty("phone").GetString());
        // getUpdates continued after the last update (offset = last update_id + 1).
        await Scenario.EventuallyAsync(async () => { await Task.Yield(); return fake.Calls("getUpdates") is { Count: > 0 } polls ? polls[^1] : null; },
            c => c is not null && JsonNode.Parse(c.Body)!["offset"]?.GetValue<long>() == 503, "offset 503");
    }

    [Fact]
    public async Task Bad_webhooks_and_settings_get_clear_answers_and_store_nothing()
    {
        await using var fake = new FakeTelegram();
        var (s, _, channel, secret, _) = await SetUpAsync(fake);

        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, "{not json", (Secret, secret)), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, """{"hello":"world"}""", (Secret, secret)), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, "[1,2]", (Secret, secret)), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, new string('x', 1024 * 1024 + 10), (Secret, secret)), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "viber", channel, "{}", (Secret, secret)), HttpStatusCode.NotFound);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "telegram", Guid.NewGuid(), "{}", (Secret, secret)), HttpStatusCode.NotFound);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "..%2f..%2fetc", channel, "{}", (Secret, secret)), HttpStatusCode.NotFound);

        // An update type Omnichat does not handle is acknowledged and ignored.
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, """{"update_id":9,"poll":{"id":"1","question":"?"}}""", (Secret, secret))).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(() => MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(e => e.Status == Core.Channels.Messengers.InboundEventStatus.Done, Ct)),
            n => n == 1, "processed");
        Assert.Equal(0, await MessengerTestKit.CountAsync(App, db => db.Conversations.CountAsync(Ct)));

        // Settings: the token is required and never shown back; echoing the mask keeps it.
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "telegram", name = "x", settings = new { } }, Ct), "settings.botToken");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "telegram", name = "x", settings = new { botToken = FakeTelegram.Token, mode = "carrier-pigeon" } }, Ct), "settings.mode");
        var shown = await Scenario.Json(await s.Admin.GetAsync($"/api/v1/channels/{channel}", Ct));
        var masked = shown.GetProperty("settings").GetProperty("botToken").GetString()!;
        Assert.StartsWith("••••", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("AAFakeToken", shown.ToString(), StringComparison.Ordinal);
        (await s.Admin.PutAsJsonAsync($"/api/v1/channels/{channel}", new { name = "Telegram bot", settings = new { botToken = masked, apiBaseUrl = fake.BaseUrl } }, Ct)).EnsureSuccessStatusCode();
        var test = await Scenario.Json(await s.Admin.PostAsync($"/api/v1/channels/{channel}/test", null, Ct));
        Assert.True(test.GetProperty("ok").GetBoolean(), test.ToString());
        Assert.Equal("@omnichat_test_bot", test.GetProperty("detail").GetString());

        // Webhook registration sends the URL and the channel secret.
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync($"/api/v1/channels/{channel}/webhook", new { url = "ftp://x" }, Ct), "url");
        var registered = await Scenario.Json(await s.Admin.PostAsJsonAsync($"/api/v1/channels/{channel}/webhook", new { url = "https://chat.example.com" }, Ct));
        Assert.True(registered.GetProperty("ok").GetBoolean(), registered.ToString());
        var set = JsonNode.Parse(Assert.Single(fake.Calls("setWebhook")).Body)!;
        Assert.Equal($"https://chat.example.com/webhooks/telegram/{channel}", set["url"]!.GetValue<string>());
        Assert.Equal(secret, set["secret_token"]!.GetValue<string>());

        // Adapter health is visible for monitoring.
        var health = await Scenario.Json(await App.CreateClient().GetAsync("/health/ready", Ct));
        Assert.True(health.GetProperty("checks").GetProperty("messengers").GetProperty("data").TryGetProperty(channel.ToString(), out _), health.ToString());
    }
}

public sealed class TelegramChannelTestsOnSqlite() : TelegramChannelTests(DatabaseProvider.Sqlite);

public sealed class TelegramChannelTestsOnPostgres() : TelegramChannelTests(DatabaseProvider.Postgres);

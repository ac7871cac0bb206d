using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing.Messengers;

namespace Omnichat.Server.Tests.Channels;

/// <summary>VK end to end against the fake API: confirmation, secret, message_new → conversation → reply → messages.send (random_id).</summary>
public abstract class VkChannelTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string MessageNew(long messageId, long peer, string text, string secret, string eventId) =>
        "{\"type\":\"message_new\",\"event_id\":\"" + eventId + "\",\"v\":\"5.199\",\"group_id\":" + FakeVk.GroupId + ",\"secret\":\"" + secret + "\","
        + "\"object\":{\"message\":{\"id\":" + messageId + ",\"date\":1700000000,\"peer_id\":" + peer + ",\"from_id\":" + peer + ",\"text\":"
        + System.Text.Json.JsonSerializer.Serialize(text) + ",\"attachments\":[],\"conversation_message_id\":1,\"fwd_messages\":[],\"important\":false},"
        + "\"client_info\":{\"button_actions\":[\"text\",\"callback\"],\"keyboard\":true,\"inline_keyboard\":true,\"carousel\":true,\"lang_id\":0}}}";

    [Fact]
    public async Task A_VK_message_reaches_an_operator_whose_reply_is_sent_once_with_its_random_id()
    {
        await using var fake = new FakeVk();
        var s = await Scenario.CreateAsync(App);
        var (channel, secret) = await MessengerTestKit.ChannelAsync(s, "vk",
            new { accessToken = FakeVk.Token, groupId = FakeVk.GroupId, confirmationCode = "a1b2c3d4", apiBaseUrl = fake.ApiBaseUrl }, "VK community");
        var (_, op) = await s.OperatorAsync("vk.op", await s.GroupAsync("VK", channel));

        // The confirmation handshake answers the code as plain text.
        var confirm = await MessengerTestKit.PostWebhookAsync(App, "vk", channel, "{\"type\":\"confirmation\",\"group_id\":" + FakeVk.GroupId + "}");
        Assert.Equal("a1b2c3d4", await confirm.Content.ReadAsStringAsync(Ct));
        // Another community's event, a wrong secret: refused, nothing stored.
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "vk", channel, "{\"type\":\"confirmation\",\"group_id\":1}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await MessengerTestKit.PostWebhookAsync(App, "vk", channel, MessageNew(1, 2_000_000_001, "x", "wrong", "e0")), HttpStatusCode.Forbidden);
        Assert.Equal(0, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));

        var body = MessageNew(555, 2_000_000_001, "Добрый вечер", secret, "ev-1");
        var first = await MessengerTestKit.PostWebhookAsync(App, "vk", channel, body);
        Assert.Equal("ok", await first.Content.ReadAsStringAsync(Ct));
        // VK's redelivery (X-Retry-Counter) of the same message: "ok", and no second message.
        var retry = await MessengerTestKit.PostWebhookAsync(App, "vk", channel, body.Replace("ev-1", "ev-1b"), ("X-Retry-Counter", "1"));
        Assert.Equal("ok", await retry.Content.ReadAsStringAsync(Ct));
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();
        Assert.Single(await MessengerTestKit.MessagesAsync(op, id), m => m.GetProperty("direction").GetString() == "in");
        Assert.Equal(1, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));
        var stored = "";
        await App.InScopeAsync(async db => stored = (await db.InboundEvents.SingleAsync(Ct)).Payload);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal); // the secret is not kept

        // The reply: the first attempt times out (the answer is lost), the retry carries the same random_id, and VK keeps one message.
        fake.Script("messages.send", new ScriptedAnswer(200, """{"response":1}""", Delay: TimeSpan.FromSeconds(4)));
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "vk1", text = "Здравствуйте!" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "vk1", "delivered");
        var sends = fake.Calls("messages.send");
        Assert.Equal("2000000001", sends[^1].Form["peer_id"]);
        Assert.Equal("Здравствуйте!", sends[^1].Form["message"]);
        Assert.All(sends, c => Assert.Equal(sends[0].Form["random_id"], c.Form["random_id"]));

        // The user reads the dialog: message_read up to the id VK gave the reply.
        var read = "{\"type\":\"message_read\",\"event_id\":\"ev-r\",\"v\":\"5.199\",\"group_id\":" + FakeVk.GroupId + ",\"secret\":\"" + secret
                   + "\",\"object\":{\"from_id\":2000000001,\"peer_id\":2000000001,\"read_message_id\":1000000,\"conversation_message_id\":2}}";
        (await MessengerTestKit.PostWebhookAsync(App, "vk", channel, read)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "vk1", "read");

        var test = await Scenario.Json(await s.Admin.PostAsync($"/api/v1/channels/{channel}/test", null, Ct));
        Assert.Equal("Omnichat Test", test.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_callback_button_rates_and_a_bad_token_fails_the_send()
    {
        await using var fake = new FakeVk();
        var s = await Scenario.CreateAsync(App);
        var (channel, secret) = await MessengerTestKit.ChannelAsync(s, "vk",
            new { accessToken = FakeVk.Token, groupId = FakeVk.GroupId, confirmationCode = "c0de", apiBaseUrl = fake.ApiBaseUrl });
        var (_, op) = await s.OperatorAsync("vk.op2", await s.GroupAsync("VK", channel));
        (await MessengerTestKit.PostWebhookAsync(App, "vk", channel, MessageNew(9, 77, "help", secret, "e1"))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        fake.Script("messages.send", new ScriptedAnswer(200, """{"error":{"error_code":901,"error_msg":"Can't send messages for users without permission","request_params":[]}}"""));
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "denied", text = "hi" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "denied", "failed");

        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var prompt = (await fake.WaitForAsync("messages.send", 2))[1];
        var keyboard = System.Text.Json.Nodes.JsonNode.Parse(prompt.Form["keyboard"])!;
        var actions = keyboard["buttons"]![0]!.AsArray().Select(b => b!["action"]!).ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], actions.Select(a => a["label"]!.GetValue<string>()));
        Assert.All(actions, a => Assert.Equal("callback", a["type"]!.GetValue<string>()));
        Assert.Equal("""{"rate":5}""", actions[4]["payload"]!.GetValue<string>());

        var press = "{\"type\":\"message_event\",\"event_id\":\"e2\",\"v\":\"5.199\",\"group_id\":" + FakeVk.GroupId + ",\"secret\":\"" + secret + "\","
                    + "\"object\":{\"user_id\":77,\"peer_id\":77,\"event_id\":\"cb-1\",\"payload\":{\"rate\":2},\"conversation_message_id\":3}}";
        (await MessengerTestKit.PostWebhookAsync(App, "vk", channel, press)).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "rated", "rated");
        Assert.Equal("cb-1", Assert.Single(await fake.WaitForAsync("messages.sendMessageEventAnswer")).Form["event_id"]);

        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "vk", name = "x", settings = new { accessToken = FakeVk.Token, groupId = 0, confirmationCode = "c" } }, Ct), "settings.groupId");
    }

    [Fact]
    public async Task Long_poll_mode_receives_messages_without_a_public_address()
    {
        await using var fake = new FakeVk();
        var s = await Scenario.CreateAsync(App);
        var (channel, _) = await MessengerTestKit.ChannelAsync(s, "vk",
            new { accessToken = FakeVk.Token, groupId = FakeVk.GroupId, confirmationCode = "c0de", apiBaseUrl = fake.ApiBaseUrl, mode = "longpoll" });
        var (_, op) = await s.OperatorAsync("vk.lp", await s.GroupAsync("VK", channel));
        await fake.WaitForAsync("groups.getLongPollServer");

        var update = MessageNew(700, 88, "Через long poll", "", "lp-1").Replace(",\"secret\":\"\"", "");
        fake.QueueUpdate(update);
        fake.QueueUpdate(update.Replace("lp-1", "lp-1-again")); // the same message delivered twice
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();
        Assert.Single(await MessengerTestKit.MessagesAsync(op, id), m => m.GetProperty("text").GetString() == "Через long poll");
        Assert.Equal(1, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));
        // The cursor (server, key, ts) is kept in the database.
        var cursor = "";
        await Scenario.EventuallyAsync(async () =>
        {
            await App.InScopeAsync(async db => cursor = (await db.MessengerPollCursors.SingleAsync(Ct)).Cursor);
            return cursor;
        }, c => c.Contains("\"ts\":\"12\"", StringComparison.Ordinal), "cursor at ts 12");
    }
}

public sealed class VkChannelTestsOnSqlite() : VkChannelTests(DatabaseProvider.Sqlite);

public sealed class VkChannelTestsOnPostgres() : VkChannelTests(DatabaseProvider.Postgres);

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing.Messengers;

namespace Omnichat.Server.Tests.Channels;

/// <summary>Viber end to end against the fake REST Bot API: signed callback → conversation → reply → send_message → delivered → seen.</summary>
public abstract class ViberChannelTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Signature = "X-Viber-Content-Signature";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sign(string body, string key = FakeViber.Token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(body)));

    private Task<HttpResponseMessage> CallbackAsync(Guid channel, string body, string? signature = null) =>
        MessengerTestKit.PostWebhookAsync(App, "viber", channel, body, (Signature, signature ?? Sign(body)));

    private static string MessageCallback(long token, string userId, string text) =>
        "{\"event\":\"message\",\"timestamp\":1700000000000,\"chat_hostname\":\"SN-1\",\"message_token\":" + token
        + ",\"sender\":{\"id\":\"" + userId + "\",\"name\":\"Мария\",\"avatar\":\"http://a\",\"language\":\"ru\",\"country\":\"RU\",\"api_version\":10},"
        + "\"message\":{\"type\":\"text\",\"text\":" + System.Text.Json.JsonSerializer.Serialize(text) + ",\"tracking_data\":\"x\"},\"silent\":false}";

    [Fact]
    public async Task A_signed_Viber_message_reaches_an_operator_whose_reply_is_delivered_then_seen()
    {
        await using var fake = new FakeViber();
        var s = await Scenario.CreateAsync(App);
        var (channel, _) = await MessengerTestKit.ChannelAsync(s, "viber",
            new { authToken = FakeViber.Token, apiBaseUrl = fake.ApiBaseUrl, senderName = "Поддержка" }, "Viber bot");
        var (_, op) = await s.OperatorAsync("vb.op", await s.GroupAsync("Viber", channel));

        // The check after set_webhook: 200, nothing stored. Forged or missing signatures: 403, nothing stored.
        var check = """{"event":"webhook","timestamp":1700000000000,"chat_hostname":"SN-1","message_token":1}""";
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(channel, check)).StatusCode);
        var body = MessageCallback(5_900_000_000_000_000_001, "01234567890A=", "Привет из Viber");
        await AssertProblemAsync(await CallbackAsync(channel, body, Sign(body, "wrong-token")), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await CallbackAsync(channel, body, ""), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await CallbackAsync(channel, body + " ", Sign(body)), HttpStatusCode.Forbidden); // signature over other bytes
        Assert.Equal(0, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));

        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(channel, body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(channel, body)).StatusCode); // redelivery
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();
        Assert.Single(await MessengerTestKit.MessagesAsync(op, id), m => m.GetProperty("text").GetString() == "Привет из Viber");

        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "v1", text = "Здравствуйте, Мария!" }, Ct)).EnsureSuccessStatusCode();
        var sent = JsonNode.Parse(Assert.Single(await fake.WaitForAsync("send_message")).Body)!;
        Assert.Equal("01234567890A=", sent["receiver"]!.GetValue<string>());
        Assert.Equal("text", sent["type"]!.GetValue<string>());
        Assert.Equal("Поддержка", sent["sender"]!["name"]!.GetValue<string>());
        await MessengerTestKit.DeliveryAsync(op, id, "v1", "sent");
        string token = "";
        await App.InScopeAsync(async db => token = (await db.MessengerDeliveries.SingleAsync(Ct)).VendorMessageId!);

        foreach (var (kind, status) in new[] { ("delivered", "delivered"), ("seen", "read") })
        {
            var receipt = "{\"event\":\"" + kind + "\",\"timestamp\":1700000001000,\"chat_hostname\":\"SN-1\",\"message_token\":" + token + ",\"user_id\":\"01234567890A=\"}";
            (await CallbackAsync(channel, receipt)).EnsureSuccessStatusCode();
            await MessengerTestKit.DeliveryAsync(op, id, "v1", status);
        }

        // A repeated "delivered" (Viber retries callbacks) is recognised by its key and never moves "read" back.
        var late = "{\"event\":\"delivered\",\"timestamp\":1700000002000,\"message_token\":" + token + ",\"user_id\":\"01234567890A=\"}";
        (await CallbackAsync(channel, late)).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(() => MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(e => e.Status == Core.Channels.Messengers.InboundEventStatus.Done, Ct)),
            n => n == 3, "receipts processed");
        await Task.Delay(500, Ct);
        Assert.Equal(3, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));
        await MessengerTestKit.DeliveryAsync(op, id, "v1", "read");
    }

    [Fact]
    public async Task Rating_keyboard_after_close_and_a_refused_send_is_marked_failed()
    {
        await using var fake = new FakeViber();
        var s = await Scenario.CreateAsync(App);
        var (channel, _) = await MessengerTestKit.ChannelAsync(s, "viber", new { authToken = FakeViber.Token, apiBaseUrl = fake.ApiBaseUrl });
        var (_, op) = await s.OperatorAsync("vb.op2", await s.GroupAsync("Viber", channel));
        (await CallbackAsync(channel, MessageCallback(1, "user-1", "help"))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        fake.Script("send_message", new ScriptedAnswer(200, """{"status":6,"status_message":"receiverNotSubscribed"}"""));
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "gone", text = "hello?" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "gone", "failed");

        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var prompt = JsonNode.Parse((await fake.WaitForAsync("send_message", 2))[1].Body)!;
        var buttons = prompt["keyboard"]!["Buttons"]!.AsArray();
        Assert.Equal(["rate:1", "rate:2", "rate:3", "rate:4", "rate:5"], buttons.Select(b => b!["ActionBody"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.Equal("reply", b!["ActionType"]!.GetValue<string>()));

        // A pressed button comes back as a text message with the ActionBody.
        (await CallbackAsync(channel, MessageCallback(2, "user-1", "rate:5"))).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "rated", "rated");
        Assert.Equal(1, await MessengerTestKit.CountAsync(App, db => db.Conversations.CountAsync(Ct)));

        // Setup actions: set_webhook with the event types, get_account_info.
        var registered = await Scenario.Json(await s.Admin.PostAsJsonAsync($"/api/v1/channels/{channel}/webhook", new { url = "https://chat.example.com/" }, Ct));
        Assert.True(registered.GetProperty("ok").GetBoolean(), registered.ToString());
        var set = JsonNode.Parse(Assert.Single(fake.Calls("set_webhook")).Body)!;
        Assert.Equal($"https://chat.example.com/webhooks/viber/{channel}", set["url"]!.GetValue<string>());
        Assert.Contains("seen", set["event_types"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(FakeViber.Token, Assert.Single(fake.Calls("set_webhook")).Headers["X-Viber-Auth-Token"]);
        var test = await Scenario.Json(await s.Admin.PostAsync($"/api/v1/channels/{channel}/test", null, Ct));
        Assert.Equal("Omnichat Test", test.GetProperty("detail").GetString());
    }
}

public sealed class ViberChannelTestsOnSqlite() : ViberChannelTests(DatabaseProvider.Sqlite);

public sealed class ViberChannelTestsOnPostgres() : ViberChannelTests(DatabaseProvider.Postgres);

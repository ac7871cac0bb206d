using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Omnichat.Channels.Api;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing.Messengers;

namespace Omnichat.Server.Tests.Channels;

/// <summary>The generic API channel end to end with a fake connector: signed inbound events, signed outbound webhooks with retries, receipts, rating.</summary>
public abstract class ApiChannelTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> PostAsync(Guid channel, string secret, string body, DateTimeOffset? at = null, string? signature = null)
    {
        var timestamp = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return MessengerTestKit.PostWebhookAsync(App, "api", channel, body,
            (ApiChannelAdapter.TimestampHeader, timestamp),
            (ApiChannelAdapter.SignatureHeader, signature ?? ApiChannelAdapter.Sign(secret, timestamp, Encoding.UTF8.GetBytes(body))));
    }

    private static string Message(string eventId, string userId, string? text, string? payload = null) =>
        new JsonObject
        {
            ["eventId"] = eventId, ["type"] = "message",
            ["user"] = new JsonObject { ["id"] = userId, ["name"] = "Клиент \"Ромашки\"", ["phone"] = "+7 900 000-00-01" },
            ["message"] = new JsonObject { ["text"] = text, ["payload"] = payload },
            ["future"] = new JsonArray(1, 2),
        }.ToJsonString();

    /// <summary>Checks a recorded outbound call the way a connector must: timestamp + "." + body, HMAC with the channel secret.</summary>
    private static JsonNode VerifiedBody(VendorRequest call, string secret)
    {
        var timestamp = call.Headers[ApiChannelAdapter.TimestampHeader];
        Assert.Equal(ApiChannelAdapter.Sign(secret, timestamp, Encoding.UTF8.GetBytes(call.Body)), call.Headers[ApiChannelAdapter.SignatureHeader]);
        return JsonNode.Parse(call.Body)!;
    }

    [Fact]
    public async Task A_connector_message_reaches_an_operator_whose_reply_goes_out_signed_and_is_confirmed()
    {
        await using var connector = new FakeConnector();
        var s = await Scenario.CreateAsync(App);
        var (channel, secret) = await MessengerTestKit.ChannelAsync(s, "api", new { outboundUrl = connector.HookUrl }, "Our app chat");
        var (_, op) = await s.OperatorAsync("api.op", await s.GroupAsync("API", channel));

        var body = Message("evt-1", "user-42", "Нужна помощь");
        await AssertProblemAsync(await PostAsync(channel, "wrong-secret", body), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await PostAsync(channel, secret, body, signature: "sha256=00"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await PostAsync(channel, secret, body, at: TimeProvider.System.GetUtcNow().AddMinutes(-10)), HttpStatusCode.Unauthorized); // a replay
        await AssertProblemAsync(await PostAsync(channel, secret, """{"type":"message","user":{"id":"u"}}"""), HttpStatusCode.BadRequest); // no eventId
        await AssertProblemAsync(await PostAsync(channel, secret, """{"eventId":"e","type":"message"}"""), HttpStatusCode.BadRequest); // no user
        await AssertProblemAsync(await PostAsync(channel, secret, "not json"), HttpStatusCode.BadRequest);
        Assert.Equal(0, await MessengerTestKit.CountAsync(App, db => db.InboundEvents.CountAsync(Ct)));

        (await PostAsync(channel, secret, body)).EnsureSuccessStatusCode();
        (await PostAsync(channel, secret, body)).EnsureSuccessStatusCode(); // the connector's retry
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();
        Assert.Single(await MessengerTestKit.MessagesAsync(op, id), m => m.GetProperty("text").GetString() == "Нужна помощь");
        var card = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}/client", Ct));
        Assert.Equal("Клиент \"Ромашки\"", card.GetProperty("displayName").GetString());

        // Outage of the connector: 503 twice, then accepted — one message, the same eventId every time.
        connector.Script(FakeConnector.Hook, new ScriptedAnswer(503, "down"), times: 2);
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "a1", text = "Здравствуйте!" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "a1", "sent");
        var calls = connector.Calls(FakeConnector.Hook);
        Assert.Equal(3, calls.Count);
        var sent = VerifiedBody(calls[^1], secret);
        Assert.All(calls, c => Assert.Equal(sent["eventId"]!.GetValue<string>(), JsonNode.Parse(c.Body)!["eventId"]!.GetValue<string>()));
        Assert.Equal("message", sent["type"]!.GetValue<string>());
        Assert.Equal("user-42", sent["user"]!["id"]!.GetValue<string>());
        Assert.Equal("Здравствуйте!", sent["message"]!["text"]!.GetValue<string>());

        // The connector confirms delivery and reading.
        foreach (var (status, mark) in new[] { ("delivered", "delivered"), ("read", "read") })
        {
            var receipt = new JsonObject { ["eventId"] = "r-" + status, ["type"] = "delivery", ["deliveryId"] = sent["eventId"]!.GetValue<string>(), ["status"] = status };
            (await PostAsync(channel, secret, receipt.ToJsonString())).EnsureSuccessStatusCode();
            await MessengerTestKit.DeliveryAsync(op, id, "a1", mark);
        }

        // A 4xx from the connector is final.
        connector.Script(FakeConnector.Hook, new ScriptedAnswer(410, "gone"));
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "a2", text = "Вы здесь?" }, Ct)).EnsureSuccessStatusCode();
        await MessengerTestKit.DeliveryAsync(op, id, "a2", "failed");

        // Rating: after close the connector gets a rating request with buttons; a pressed button rates.
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var request = await Scenario.EventuallyAsync(async () =>
        {
            await Task.Yield();
            return connector.Calls(FakeConnector.Hook).Select(c => JsonNode.Parse(c.Body)!).FirstOrDefault(b => b["type"]!.GetValue<string>() == "rating-request");
        }, b => b is not null, "a rating request");
        Assert.Equal("rate:5", request!["message"]!["buttons"]![4]!["payload"]!.GetValue<string>());
        (await PostAsync(channel, secret, Message("evt-2", "user-42", null, payload: "rate:5"))).EnsureSuccessStatusCode();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "rated", "rated");

        var test = await Scenario.Json(await s.Admin.PostAsync($"/api/v1/channels/{channel}/test", null, Ct));
        Assert.True(test.GetProperty("ok").GetBoolean(), test.ToString());
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "api", name = "x", settings = new { outboundUrl = "javascript:alert(1)" } }, Ct), "settings.outboundUrl");
    }
}

public sealed class ApiChannelTestsOnSqlite() : ApiChannelTests(DatabaseProvider.Sqlite);

public sealed class ApiChannelTestsOnPostgres() : ApiChannelTests(DatabaseProvider.Postgres);

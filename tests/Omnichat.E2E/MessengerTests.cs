using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Omnichat.Testing.Messengers;

namespace Omnichat.E2E;

/// <summary>A Telegram conversation in the workstation: the client's message arrives, the reply's mark turns delivered, a refused one shows ⚠.</summary>
public sealed class MessengerTests : E2ETestBase
{
    [Fact]
    public async Task Operator_answers_a_Telegram_client_and_sees_delivered_and_failed_marks()
    {
        await using var telegram = new FakeTelegram();
        using var admin = await Server.AdminAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/channels", new
        {
            kind = "telegram", name = "Telegram <b>bot</b>", settings = new { botToken = FakeTelegram.Token, apiBaseUrl = telegram.BaseUrl },
        }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var channel = created.GetProperty("id").GetGuid();
        var secret = created.GetProperty("secret").GetString()!;

        // Connect the demo group (operator1's) to the new channel.
        var groups = await (await admin.GetAsync("/api/v1/skill-groups", Ct)).Content.ReadFromJsonAsync<JsonArray>(Ct);
        var demo = groups!.OfType<JsonObject>().First(g => g["name"]!.GetValue<string>() == "Общие вопросы");
        demo["channelIds"]!.AsArray().Add(channel.ToString());
        (await admin.PutAsJsonAsync($"/api/v1/skill-groups/{demo["id"]}", demo, Ct)).EnsureSuccessStatusCode();

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();

        var update = """
            {"update_id":7001,"message":{"message_id":1,"date":1700000000,"chat":{"id":6000000001,"type":"private"},
             "from":{"id":6000000001,"is_bot":false,"first_name":"<img src=x onerror=\"window.__xss=1\">"},"text":"Привет из Telegram"}}
            """;
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{channel}") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        (await http.SendAsync(request, Ct)).EnsureSuccessStatusCode();

        var item = op.Locator("[data-conversation]").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();
        await Assertions.Expect(op.Locator("#messages .oc-text").First).ToHaveTextAsync("Привет из Telegram");

        await op.Locator("#reply").FillAsync("Здравствуйте! Чем помочь?");
        await op.Locator("#reply").PressAsync("Enter");
        await telegram.WaitForAsync("sendMessage");
        var mark = op.Locator("#messages .oc-message").Last.Locator(".oc-delivery");
        await Assertions.Expect(mark).ToHaveAttributeAsync("data-delivery", "delivered", new() { Timeout = 15_000 });
        await Assertions.Expect(mark).ToHaveTextAsync("✓✓");

        telegram.Script("sendMessage", new ScriptedAnswer(403, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"""));
        await op.Locator("#reply").FillAsync("Вы здесь?");
        await op.Locator("#reply").PressAsync("Enter");
        var failed = op.Locator("#messages .oc-message", new() { HasText = "Вы здесь?" }).Locator(".oc-delivery");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-delivery", "failed", new() { Timeout = 15_000 });
        await Assertions.Expect(failed).ToHaveTextAsync("⚠");
        await Assertions.Expect(failed).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("bot was blocked by the user"));
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));
    }
}

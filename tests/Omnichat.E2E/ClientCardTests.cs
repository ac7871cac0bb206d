using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>The workstation's client card (edit), the client's earlier conversations, and a long conversation opening at its end.</summary>
public sealed class ClientCardTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Operator_sees_the_clients_history_edits_the_card_and_pages_back_through_a_long_conversation()
    {
        // A returning client of the demo channel: one earlier (closed) conversation, and a long current one.
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await (await client.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "demo", user = new { name = "Ольга" } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        using var op1 = await Server.SignedInAsync("operator1", "Operator1-demo");
        (await op1.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        var earlier = (await (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "old", text = "Старый вопрос " + Hostile }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("conversationId").GetGuid();
        // Until routing reaches it the operator cannot see it (404): poll for the status.
        var status = await Eventually(async () =>
        {
            var r = await op1.GetAsync($"/api/v1/conversations/{earlier}", Ct);
            return r.IsSuccessStatusCode ? (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString() : null;
        }, st => st == "assigned");
        Assert.Equal("assigned", status);
        (await op1.PostAsJsonAsync($"/api/v1/conversations/{earlier}/close", new { }, Ct)).EnsureSuccessStatusCode();
        for (var i = 1; i <= 130; i++)
        {
            (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = $"n{i}", text = $"Сообщение {i}" }, Ct)).EnsureSuccessStatusCode();
        }

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        var item = op.Locator("[data-conversation]").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();

        // Opens at the end: the newest 100, earlier ones on request.
        await Assertions.Expect(op.Locator("#messages .oc-in .oc-text").Last).ToHaveTextAsync("Сообщение 130");
        await Assertions.Expect(op.Locator("#messages .oc-in")).ToHaveCountAsync(100);
        await op.ClickAsync("#load-earlier");
        await Assertions.Expect(op.Locator("#messages .oc-in")).ToHaveCountAsync(130);
        await Assertions.Expect(op.Locator("#load-earlier")).ToHaveCountAsync(0);

        // The card: edit the e-mail; a bad one is refused with the reason.
        await Assertions.Expect(op.Locator("#card-name")).ToHaveValueAsync("Ольга");
        await op.FillAsync("#card-email", "not-an-address");
        await op.ClickAsync("#client-save");
        await Assertions.Expect(op.Locator("#card-status")).ToContainTextAsync("e-mail");
        await op.FillAsync("#card-email", "olga@example.com");
        await op.ClickAsync("#client-save");
        await Assertions.Expect(op.Locator("#card-status")).ToHaveTextAsync("Сохранено");
        await Assertions.Expect(op.Locator("#card-count")).ToHaveTextAsync("2");

        // History: the earlier conversation, its messages as text.
        var history = op.Locator($"#history [data-history='{earlier}']");
        await Assertions.Expect(history).ToBeVisibleAsync();
        await history.Locator("button").ClickAsync();
        await Assertions.Expect(history.Locator(".oc-history-messages .oc-text").First).ToHaveTextAsync("Старый вопрос " + Hostile);
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));

        var card = await op1.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{await item.GetAttributeAsync("data-conversation")}/client", Ct);
        Assert.Equal("olga@example.com", card.GetProperty("email").GetString());
    }
}

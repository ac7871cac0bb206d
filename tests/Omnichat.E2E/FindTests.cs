using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>The workstation's find panel: words from the messages, filters, a virtualised result list that opens the conversation.</summary>
public sealed class FindTests : E2ETestBase
{
    [Fact]
    public async Task Operator_finds_a_conversation_by_a_word_from_its_messages_and_opens_it()
    {
        foreach (var (name, text) in new[] { ("Анна", "Не проходит ОПЛАТА картой"), ("Борис", "Где мой заказ?"), ("Вера", "Спасибо, всё хорошо") })
        {
            using var client = new HttpClient { BaseAddress = Server.BaseAddress };
            var session = await (await client.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "demo", user = new { name } }, Ct))
                .Content.ReadFromJsonAsync<JsonElement>(Ct);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
            (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text }, Ct)).EnsureSuccessStatusCode();
        }

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(3, new() { Timeout = 20_000 });

        await op.Locator("#find summary").ClickAsync();
        await op.FillAsync("#find-search", "оплата");
        await op.ClickAsync("#find-go");
        await Assertions.Expect(op.Locator("#find-total")).ToHaveTextAsync("Найдено: 1");
        var found = op.Locator(".oc-found");
        await Assertions.Expect(found).ToHaveCountAsync(1);
        await Assertions.Expect(found.First).ToContainTextAsync("Анна");
        await found.First.ClickAsync();
        await Assertions.Expect(op.Locator("#messages .oc-in .oc-text").First).ToHaveTextAsync("Не проходит ОПЛАТА картой");

        // A filter that matches nothing, and a bad period, which is explained.
        await op.FillAsync("#find-search", "");
        await op.Locator("#find-rating").SelectOptionAsync("5");
        await op.ClickAsync("#find-go");
        await Assertions.Expect(op.Locator("#find-total")).ToHaveTextAsync("Найдено: 0");
        await op.Locator("#find-rating").SelectOptionAsync("");
        await op.FillAsync("#find-from", "2026-12-31");
        await op.FillAsync("#find-to", "2026-01-01");
        await op.ClickAsync("#find-go");
        await Assertions.Expect(op.Locator("#find [role=alert]")).ToContainTextAsync("'from' must not be after 'to'");
    }
}

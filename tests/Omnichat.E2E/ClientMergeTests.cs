using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Omnichannel identity in the workstation: matches by phone, merges the live widget follows, history across channels, and a split.</summary>
public sealed class ClientMergeTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Operator_merges_the_same_person_from_two_devices_and_the_widget_follows_then_splits_it_again()
    {
        using var op1 = await Server.SignedInAsync("operator1", "Operator1-demo");
        (await op1.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        using var admin = await Server.AdminAsync();

        async Task<Guid> AssignedAsync(string text)
        {
            var id = await Eventually(async () =>
            {
                var list = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/conversations?scope=all&search={Uri.EscapeDataString(text)}", Ct);
                return list.GetProperty("items").EnumerateArray().Where(c => c.GetProperty("status").GetString() == "assigned")
                    .Select(c => c.GetProperty("id").GetGuid()).FirstOrDefault();
            }, id => id != Guid.Empty);
            Assert.NotEqual(Guid.Empty, id);
            return id;
        }

        // Device 1: the website widget. The operator notes the phone the visitor gives, then closes.
        var (_, page, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "Вопрос с компьютера");
        var fromBrowser = await AssignedAsync("Вопрос с компьютера");
        (await op1.PutAsJsonAsync($"/api/v1/conversations/{fromBrowser}/client",
            new { displayName = "Сергей " + Hostile, phone = "+7 (900) 555-66-77" }, Ct)).EnsureSuccessStatusCode();
        (await op1.PostAsJsonAsync($"/api/v1/conversations/{fromBrowser}/close", new { }, Ct)).EnsureSuccessStatusCode();

        // Device 2: the mobile app, the same number written the Russian way.
        using var phone = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await (await phone.PostAsJsonAsync("/api/client/v1/sessions",
            new { channelKey = "demo", user = new { name = "Сергей", phone = "8 900 555 66 77" } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        phone.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        (await phone.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "p1", text = "Пишу с телефона" }, Ct)).EnsureSuccessStatusCode();
        var fromPhone = await AssignedAsync("Пишу с телефона");

        // Device 3, weeks ago: the company's other channel (the mobile app's chat), same phone, already closed.
        var groups = await admin.GetFromJsonAsync<JsonElement>("/api/v1/skill-groups", Ct);
        var general = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Общие вопросы");
        Guid[] Ids(string property) => [.. general.GetProperty(property).EnumerateArray().Select(i => i.GetGuid())];
        var appChannel = await (await admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "webchat", name = "Мобильное приложение", branchId = Ids("branchIds")[0], regionId = Ids("regionIds")[0] }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        (await admin.PutAsJsonAsync($"/api/v1/skill-groups/{general.GetProperty("id").GetGuid()}", new
        {
            name = "Общие вопросы", channelIds = Ids("channelIds").Append(appChannel.GetProperty("id").GetGuid()), branchIds = Ids("branchIds"), regionIds = Ids("regionIds"),
        }, Ct)).EnsureSuccessStatusCode();
        using var inApp = new HttpClient { BaseAddress = Server.BaseAddress };
        var appSession = await (await inApp.PostAsJsonAsync("/api/client/v1/sessions",
            new { channelKey = appChannel.GetProperty("key").GetString(), user = new { phone = "+79005556677" } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        inApp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", appSession.GetProperty("token").GetString());
        (await inApp.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "a1", text = "Вопрос из приложения" }, Ct)).EnsureSuccessStatusCode();
        var fromApp = await AssignedAsync("Вопрос из приложения");
        (await op1.PostAsJsonAsync($"/api/v1/conversations/{fromApp}/close", new { }, Ct)).EnsureSuccessStatusCode();

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.Locator($"[data-conversation='{fromPhone}']").ClickAsync();
        await Assertions.Expect(op.Locator("#card-count")).ToHaveTextAsync("1");
        var matches = op.Locator("#client-matches .oc-match");
        await Assertions.Expect(matches).ToHaveCountAsync(2);
        var match = matches.Filter(new() { HasText = "Сергей " + Hostile }); // the hostile name is text
        await Assertions.Expect(match).ToContainTextAsync("тот же телефон");
        await ClickUntilVisibleAsync(match.Locator(".oc-merge"), op.Locator("#merge-reason"));
        await op.FillAsync("#merge-reason", "Один номер, подтвердил по телефону");
        await op.ClickAsync("#merge-confirm");
        await Assertions.Expect(op.Locator("#identity-status")).ToHaveTextAsync("Клиенты объединены");
        await Assertions.Expect(op.Locator("#card-count")).ToHaveTextAsync("2");
        await Assertions.Expect(matches).ToHaveCountAsync(1);
        await ClickUntilVisibleAsync(matches.Locator(".oc-merge"), op.Locator("#merge-confirm"));
        await op.ClickAsync("#merge-confirm");
        await Assertions.Expect(op.Locator("#card-count")).ToHaveTextAsync("3");
        await Assertions.Expect(op.Locator("#client-matches")).ToHaveCountAsync(0);
        // The history now spans both channels.
        var earlier = op.Locator($"#history [data-history='{fromBrowser}']");
        await Assertions.Expect(earlier).ToContainTextAsync("Сайт (демо)");
        var appHistory = op.Locator($"#history [data-history='{fromApp}']");
        await Assertions.Expect(appHistory).ToContainTextAsync("Мобильное приложение");
        await appHistory.Locator("button.oc-link").ClickAsync();
        await Assertions.Expect(appHistory.Locator(".oc-history-messages .oc-text").First).ToHaveTextAsync("Вопрос из приложения");

        // The browser's widget was the merged client: it renews its session and follows the open conversation live.
        await op.FillAsync("#reply", "Ответ виден на обоих устройствах");
        await op.ClickAsync("#send");
        await Assertions.Expect(widget.Locator(".oc-theirs .oc-text").Last).ToHaveTextAsync("Ответ виден на обоих устройствах", new() { Timeout = 20_000 });
        var phoneMessages = await phone.GetFromJsonAsync<JsonElement>("/api/client/v1/messages", Ct);
        Assert.Contains(phoneMessages.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "Ответ виден на обоих устройствах");

        // A wrong merge is undone: the browser's conversation becomes a client of its own again.
        await earlier.Locator(".oc-split-pick").CheckAsync();
        await op.ClickAsync("#split-confirm");
        await Assertions.Expect(op.Locator("#identity-status")).ToHaveTextAsync("Создан новый клиент");
        await Assertions.Expect(op.Locator("#card-count")).ToHaveTextAsync("2");
        await Assertions.Expect(op.Locator("#history [data-history]")).ToHaveCountAsync(1);
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));

        var clientId = session.GetProperty("clientId").GetGuid();
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{clientId}/audit", Ct);
        Assert.Equal(["client.split", "client.merge", "client.merge"], audit.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        Assert.Equal("Один номер, подтвердил по телефону", audit[2].GetProperty("reason").GetString());
        Assert.Equal("Анна Смирнова", audit[2].GetProperty("actorName").GetString());
    }
}

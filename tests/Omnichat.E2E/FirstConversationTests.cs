using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>
/// A client writes in the widget on /demo, an operator answers in the workstation, the client sees the
/// answer — real server process, SQLite, SignalR over WebSockets, headless Chromium.
/// </summary>
public sealed class FirstConversationTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";

    [Fact]
    public async Task ClientWritesInTheWidget_OperatorAnswersInTheWorkstation_ClientSeesTheAnswer()
    {
        var (clientContext, clientPage, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "Здравствуйте! " + Hostile);
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Здравствуйте! " + Hostile);

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync(); // not ready → ready: the waiting conversation arrives
        await Assertions.Expect(op.GetByRole(AriaRole.Switch)).ToBeCheckedAsync();
        var item = op.Locator("[data-conversation]").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();
        await Assertions.Expect(op.Locator("#messages .oc-in .oc-text").First).ToHaveTextAsync("Здравствуйте! " + Hostile);

        await op.FillAsync("#reply", "Добрый день! Чем помочь? " + Hostile);
        await op.PressAsync("#reply", "Enter");
        await Assertions.Expect(op.Locator("#messages .oc-out .oc-text").First).ToHaveTextAsync("Добрый день! Чем помочь? " + Hostile);

        // The client sees the answer live, literally, and the operator's name in the status line.
        await Assertions.Expect(widget.Locator(".oc-theirs .oc-text")).ToHaveTextAsync("Добрый день! Чем помочь? " + Hostile, new() { Timeout = 15_000 });
        await Assertions.Expect(widget.Locator(".oc-status")).ToContainTextAsync("Анна Смирнова");

        // The client writes again: the workstation shows it live without a reload.
        await SendFromWidgetAsync(widget, "Спасибо");
        await Assertions.Expect(op.Locator("#messages .oc-in .oc-text").Last).ToHaveTextAsync("Спасибо", new() { Timeout = 15_000 });

        // No script from message text ran anywhere.
        Assert.Equal("undefined", await clientPage.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal("undefined", await clientPage.Frames.First(f => f.Url.Contains("/widget/frame.html", StringComparison.Ordinal)).EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));

        // History survives a reload of the client's page (visitorId in localStorage).
        await clientPage.ReloadAsync();
        await clientPage.ClickAsync("#omnichat-launcher");
        var reloaded = clientPage.FrameLocator("#omnichat-frame");
        await Assertions.Expect(reloaded.Locator(".oc-msg .oc-text")).ToHaveCountAsync(3, new() { Timeout = 15_000 });

        // Closing in the workstation removes it from the list.
        await op.ClickAsync("#close-conversation");
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(0);
        await clientContext.CloseAsync();
    }

    [Fact]
    public async Task SiteUserPassedToTheWidget_IsVerifiedOnAChannelThatRequiresIt()
    {
        using var admin = await Server.AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "webchat", name = "Личный кабинет", settings = new { requireVerifiedUser = true } }, TestContext.Current.CancellationToken);
        var channel = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var key = channel.GetProperty("key").GetString();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(channel.GetProperty("secret").GetString()!), System.Text.Encoding.UTF8.GetBytes("crm-42")));

        var context = await Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        // A "company site" on another origin embedding the widget for its signed-in user (served by Playwright);
        var site = $"""
            <html lang="ru"><body><h1>Кабинет</h1>
            <script src="{Server.BaseAddress}widget.js" data-channel="{key}" data-external-id="crm-42" data-user-hash="{hash}" data-name="Иван Петров"></script>
            </body></html>
            """;
        // localhost vs 127.0.0.1: another site, still on loopback (Chromium blocks public → loopback loads).
        var siteUrl = $"http://localhost:{Server.BaseAddress.Port}/shop-account";
        await page.RouteAsync(siteUrl, route => route.FulfillAsync(new() { ContentType = "text/html; charset=utf-8", Body = site }));
        await page.GotoAsync(siteUrl);

        await page.ClickAsync("#omnichat-launcher");
        var widget = page.FrameLocator("#omnichat-frame");
        await SendFromWidgetAsync(widget, "Вопрос из личного кабинета");
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Вопрос из личного кабинета");

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all", TestContext.Current.CancellationToken);
        var item = list.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("channelName").GetString() == "Личный кабинет");
        Assert.Equal("Иван Петров", item.GetProperty("clientName").GetString());
        await context.CloseAsync();
    }

    [Fact]
    public async Task MessageTypedWhileOffline_ArrivesExactlyOnceAfterReconnect()
    {
        var (context, _, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "first, online");
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending)")).ToHaveCountAsync(1);

        await context.SetOfflineAsync(true);
        await SendFromWidgetAsync(widget, "typed while offline");
        await Assertions.Expect(widget.Locator(".oc-pending .oc-text")).ToHaveTextAsync("typed while offline");
        await Task.Delay(4000, TestContext.Current.CancellationToken); // a retry or two fail while offline
        await context.SetOfflineAsync(false);

        await Assertions.Expect(widget.Locator(".oc-pending")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(widget.Locator(".oc-mine .oc-text").Last).ToHaveTextAsync("typed while offline");

        using var admin = await Server.AdminAsync();
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all", TestContext.Current.CancellationToken);
        var conversationId = list.GetProperty("items")[0].GetProperty("id").GetGuid();
        var messages = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversationId}/messages", TestContext.Current.CancellationToken);
        var texts = messages.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.Equal(["first, online", "typed while offline"], texts);
        await context.CloseAsync();
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>
/// The widget's pre-chat form selects the skill group by topic (while nobody is online, so the offline
/// e-mail is asked for), and the client rates the conversation once it is closed — real server process,
/// headless Chromium.
/// </summary>
public sealed class WidgetFeaturesTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Pre_chat_form_routes_by_topic_asks_for_an_email_while_offline_and_the_client_rates_the_closed_conversation()
    {
        using var admin = await Server.AdminAsync();
        var channels = await admin.GetFromJsonAsync<JsonElement>("/api/v1/channels", Ct);
        var demo = channels.EnumerateArray().Single(c => c.GetProperty("key").GetString() == "demo");
        (await admin.PutAsJsonAsync($"/api/v1/channels/{demo.GetProperty("id").GetGuid()}", new
        {
            name = demo.GetProperty("name").GetString(),
            settings = new
            {
                preChat = new { enabled = true, name = "required", email = "optional", topics = new[] { "Оплата", "Доставка" }, consentText = "Согласен на обработку " + Hostile },
            },
        }, Ct)).EnsureSuccessStatusCode();
        var payments = await (await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Оплата", channelIds = Array.Empty<Guid>() }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        var paymentsId = payments.GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync("/api/v1/routing-rules", new { position = 1, topic = "Оплата", skillGroupId = paymentsId }, Ct)).EnsureSuccessStatusCode();

        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/demo");
        await page.ClickAsync("#omnichat-launcher");
        var widget = page.FrameLocator("#omnichat-frame");

        // Nobody is ready in the demo: the pre-chat form says so and offers the e-mail the answer can go to.
        var form = widget.Locator(".oc-prechat");
        await Assertions.Expect(form).ToBeVisibleAsync();
        await Assertions.Expect(widget.Locator(".oc-form")).ToBeHiddenAsync();
        await Assertions.Expect(form.Locator(".oc-offline")).ToContainTextAsync("Сейчас операторов нет");
        await Assertions.Expect(form.Locator(".oc-consent span")).ToHaveTextAsync("Согласен на обработку " + Hostile);
        await form.Locator(".oc-start").ClickAsync();
        await Assertions.Expect(widget.Locator(".oc-prechat")).ToBeVisibleAsync(); // required fields missing

        await form.Locator("input[name=name]").FillAsync("Иван Петров");
        await form.Locator("input[name=email]").FillAsync("ivan@example.com");
        await form.Locator("select[name=topic]").SelectOptionAsync("Оплата");
        await form.Locator("textarea[name=question]").FillAsync("Не проходит оплата картой");
        await form.Locator("input[name=consent]").CheckAsync();
        await form.Locator(".oc-start").ClickAsync();
        await Assertions.Expect(widget.Locator(".oc-prechat")).ToHaveCountAsync(0);
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Не проходит оплата картой");

        var list = await Eventually(async () => await admin.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all", Ct),
            // The contacts travel in their own request beside the first message: wait for both.
            l => l.GetProperty("items").GetArrayLength() == 1 && l.GetProperty("items")[0].GetProperty("skillGroupId").ValueKind == JsonValueKind.String
                 && l.GetProperty("items")[0].GetProperty("clientName").ValueKind == JsonValueKind.String);
        var conversation = list.GetProperty("items")[0];
        var id = conversation.GetProperty("id").GetGuid();
        Assert.Equal(paymentsId, conversation.GetProperty("skillGroupId").GetGuid());
        Assert.Equal("Оплата", conversation.GetProperty("topic").GetString());
        Assert.Equal("Иван Петров", conversation.GetProperty("clientName").GetString());
        Assert.Equal("ivan@example.com", conversation.GetProperty("notifyEmail").GetString()); // the answer also goes by e-mail

        // A supervisor takes it, answers and closes; the client rates it in the widget.
        (await admin.PostAsync($"/api/v1/conversations/{id}/take-over", null, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "a1", text = "Проверили, попробуйте снова" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var rating = widget.Locator(".oc-rating");
        await Assertions.Expect(rating).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await rating.Locator("[data-score='5']").ClickAsync();
        await rating.Locator("textarea").FillAsync("Быстро " + Hostile);
        await rating.Locator(".oc-rate").ClickAsync();
        await Assertions.Expect(widget.Locator(".oc-rating-status")).ToHaveTextAsync("Спасибо за оценку!");
        var rated = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}", Ct);
        Assert.Equal("rated", rated.GetProperty("status").GetString());
        Assert.Equal("undefined", await page.Frames.First(f => f.Url.Contains("/widget/frame.html", StringComparison.Ordinal)).EvaluateAsync<string>("() => typeof window.__xss"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task Offline_form_leaves_a_message_with_an_email_for_the_answer_when_nobody_is_working()
    {
        using var admin = await Server.AdminAsync();
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/demo");
        await page.ClickAsync("#omnichat-launcher");
        var widget = page.FrameLocator("#omnichat-frame");
        var offline = widget.Locator(".oc-offline");
        await Assertions.Expect(offline).ToBeVisibleAsync();
        await Assertions.Expect(offline).ToContainTextAsync("Сейчас операторов нет");
        await widget.Locator(".oc-offline-email").FillAsync("not-an-email");
        await widget.Locator(".oc-input").FillAsync("Перезвоните мне");
        await widget.Locator(".oc-input").PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".oc-msg")).ToHaveCountAsync(0); // a malformed address is pointed out, nothing sent
        await widget.Locator(".oc-offline-email").FillAsync("maria@example.com");
        await widget.Locator(".oc-input").PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Перезвоните мне");
        await Assertions.Expect(offline).ToBeHiddenAsync();

        var list = await Eventually(async () => await admin.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all", Ct),
            l => l.GetProperty("items").GetArrayLength() == 1);
        var conversation = list.GetProperty("items")[0];
        Assert.Equal("queued", conversation.GetProperty("status").GetString()); // answered later
        Assert.Equal("maria@example.com", conversation.GetProperty("notifyEmail").GetString());
        await context.CloseAsync();
    }

    [Fact]
    public async Task Answers_while_minimised_show_an_unread_badge_with_a_sound_and_emoji_are_inserted()
    {
        using var op = await Server.SignedInAsync("operator1", "Operator1-demo");
        (await op.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/demo");
        await page.ClickAsync("#omnichat-launcher");
        var widget = page.FrameLocator("#omnichat-frame");
        await widget.Locator(".oc-input").FillAsync("Спасибо ");
        await widget.Locator(".oc-emoji-toggle").ClickAsync();
        await widget.Locator(".oc-emoji button", new() { HasText = "👍" }).ClickAsync();
        await widget.Locator(".oc-input").PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Спасибо 👍");

        var mine = await Eventually(async () => await op.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=mine", Ct),
            l => l.GetProperty("items").GetArrayLength() == 1);
        var id = mine.GetProperty("items")[0].GetProperty("id").GetGuid();
        var ownMark = widget.Locator(".oc-mine .oc-mark");
        await Assertions.Expect(ownMark).ToHaveAttributeAsync("aria-label", "доставлено");
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/read", new { seq = 1 }, Ct)).EnsureSuccessStatusCode();
        await Assertions.Expect(ownMark).ToHaveAttributeAsync("aria-label", "прочитано"); // pushed live

        // Minimised: two answers arrive → badge "2" and a tone; opening clears it.
        await page.ClickAsync("#omnichat-launcher");
        await Assertions.Expect(page.Locator("#omnichat-frame")).ToBeHiddenAsync();
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "r1", text = "Пожалуйста!" }, Ct)).EnsureSuccessStatusCode();
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "r2", text = "Обращайтесь" }, Ct)).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#omnichat-unread")).ToHaveTextAsync("2", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#omnichat-launcher")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Непрочитанных: 2"));
        Assert.True(await page.EvaluateAsync<int>("() => window.__omnichatSounds || 0") >= 1, "a tone was played");
        await page.ClickAsync("#omnichat-launcher");
        await Assertions.Expect(page.Locator("#omnichat-unread")).ToBeHiddenAsync();
        await Assertions.Expect(widget.Locator(".oc-theirs .oc-text").Last).ToHaveTextAsync("Обращайтесь");
        await context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_chat_fills_the_screen_works_by_keyboard_and_closes_with_its_button()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 375, Height = 667 }, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/demo");
        // Keyboard: focus the launcher and open it with Enter.
        await page.FocusAsync("#omnichat-launcher");
        await page.Keyboard.PressAsync("Enter");
        var frame = page.Locator("#omnichat-frame");
        await Assertions.Expect(frame).ToBeVisibleAsync();
        var box = await frame.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.Equal((0f, 0f, 375f, 667f), (box.X, box.Y, box.Width, box.Height));

        var widget = page.FrameLocator("#omnichat-frame");
        await widget.Locator(".oc-input").FillAsync("Пишу с телефона");
        await widget.Locator(".oc-send").TapAsync();
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Пишу с телефона");
        // Every control of the chat has an accessible name.
        var unnamed = await page.Frames.First(f => f.Url.Contains("/widget/frame.html", StringComparison.Ordinal)).EvaluateAsync<int>(
            "() => [...document.querySelectorAll('button:not([hidden]), textarea, input:not([type=hidden]):not([hidden])')].filter(e => e.offsetParent !== null && !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length || e.placeholder)).length");
        Assert.Equal(0, unnamed);

        await widget.Locator(".oc-close").TapAsync();
        await Assertions.Expect(frame).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#omnichat-launcher")).ToBeFocusedAsync();
        await context.CloseAsync();
    }
}

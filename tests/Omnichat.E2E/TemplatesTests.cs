using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Reply templates in the workstation ("/" plus a search, keyboard choice, placeholders filled in) and private notes.</summary>
public sealed class TemplatesTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Operator_inserts_a_template_with_slash_and_the_keyboard_and_the_client_gets_it_filled_in()
    {
        using var admin = await Server.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "Приветствие", category = "Общие",
            text = "Здравствуйте, {client.name}! Меня зовут {operator.name}." }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "Прощание " + Hostile, text = "До свидания! " + Hostile }, Ct))
            .EnsureSuccessStatusCode();

        var (context, page, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "Добрый день");
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Добрый день");

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();
        var item = op.Locator("[data-conversation]").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();

        // "/" lists the templates; typing narrows them; hostile titles are text.
        await op.Locator("#reply").PressSequentiallyAsync("/");
        var suggestions = op.Locator("#template-suggestions [role=option]");
        await Assertions.Expect(suggestions).ToHaveCountAsync(2);
        await Assertions.Expect(op.Locator("#template-suggestions")).ToContainTextAsync("Прощание " + Hostile);
        await op.Locator("#reply").PressSequentiallyAsync("прив");
        await Assertions.Expect(suggestions).ToHaveCountAsync(1);
        await op.Locator("#reply").PressAsync("Enter");
        await Assertions.Expect(op.Locator("#reply")).ToHaveValueAsync("Здравствуйте, ! Меня зовут Анна Смирнова.");
        await Assertions.Expect(op.Locator("#template-suggestions")).ToHaveCountAsync(0);
        await op.Locator("#reply").PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".oc-theirs .oc-text")).ToHaveTextAsync("Здравствуйте, ! Меня зовут Анна Смирнова.", new() { Timeout = 15_000 });

        // Arrow keys choose another one; Escape closes the list and keeps the typed text.
        await op.Locator("#reply").PressSequentiallyAsync("/");
        await Assertions.Expect(suggestions).ToHaveCountAsync(2);
        await op.Locator("#reply").PressAsync("Escape");
        await Assertions.Expect(op.Locator("#template-suggestions")).ToHaveCountAsync(0);
        await op.Locator("#reply").PressSequentiallyAsync("п");
        await Assertions.Expect(suggestions).ToHaveCountAsync(2);
        // The used one now comes first (usage count); the arrow picks the other.
        await Assertions.Expect(suggestions.Nth(0)).ToContainTextAsync("Приветствие");
        await op.Locator("#reply").PressAsync("ArrowDown");
        await Assertions.Expect(suggestions.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await op.Locator("#reply").PressAsync("Tab");
        await Assertions.Expect(op.Locator("#reply")).ToHaveValueAsync("До свидания! " + Hostile);

        // A private note: shown to staff, never to the client (the reply after it arrives, the note does not).
        await op.Locator("#reply").FillAsync("");
        await op.Locator("#note-mode").CheckAsync();
        await op.Locator("#reply").FillAsync("Клиент VIP, только для своих");
        await op.Locator("#reply").PressAsync("Enter");
        await Assertions.Expect(op.Locator("#messages .oc-note .oc-text")).ToHaveTextAsync("Клиент VIP, только для своих");
        await op.Locator("#note-mode").UncheckAsync();
        await op.Locator("#reply").FillAsync("Минуту, уточняю");
        await op.Locator("#reply").PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".oc-theirs .oc-text").Last).ToHaveTextAsync("Минуту, уточняю", new() { Timeout = 15_000 });
        await Assertions.Expect(widget.Locator(".oc-msg", new() { HasText = "VIP" })).ToHaveCountAsync(0);
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task Operator_manages_personal_templates_and_favourites_on_the_templates_page()
    {
        using var admin = await Server.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "Общий шаблон", text = "Общий текст" }, Ct)).EnsureSuccessStatusCode();

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.ClickAsync("#templates-link");
        await op.WaitForSelectorAsync("#templates-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(op.Locator("#template-scope")).ToBeDisabledAsync(); // operators create personal templates only
        var rows = op.Locator("tbody tr[data-template]");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First.Locator(".oc-template-edit")).ToHaveCountAsync(0); // a shared one is not theirs to change

        // A bad one is refused with the reason; a good one (hostile title) is listed as text.
        await op.FillAsync("#template-title", "Мой " + Hostile);
        await op.ClickAsync("#template-save");
        await Assertions.Expect(op.Locator("#template-status")).ToContainTextAsync("'text'");
        await op.FillAsync("#template-category", "Личные");
        await op.FillAsync("#template-text", "Спасибо, {client.name}!");
        await op.ClickAsync("#template-save");
        await Assertions.Expect(op.Locator("#template-status")).ToHaveTextAsync("Сохранено");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var mine = rows.Filter(new() { HasText = "Мой " + Hostile });
        await Assertions.Expect(mine.Locator(".oc-template-scope")).ToHaveTextAsync("Только мне");

        // Favourites come first.
        var shared = rows.Filter(new() { HasText = "Общий шаблон" });
        await shared.Locator(".oc-fav-toggle").ClickAsync();
        await Assertions.Expect(shared.Locator(".oc-fav-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(rows.First.Locator(".oc-template-title")).ToHaveTextAsync("Общий шаблон");

        // Edit, then delete with a confirmation; the search narrows the list.
        await mine.Locator(".oc-template-edit").ClickAsync();
        await Assertions.Expect(op.Locator("#template-text")).ToHaveValueAsync("Спасибо, {client.name}!");
        await op.FillAsync("#template-text", "Благодарю, {client.name}!");
        await op.ClickAsync("#template-save");
        await Assertions.Expect(mine.Locator(".oc-template-body")).ToHaveTextAsync("Благодарю, {client.name}!");
        await op.Locator("#template-search").PressSequentiallyAsync("благодар");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await op.Locator("#template-search").FillAsync("");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await mine.Locator(".oc-template-delete").ClickAsync();
        await mine.Locator(".oc-template-delete-confirm").ClickAsync();
        await Assertions.Expect(op.Locator("#template-status")).ToHaveTextAsync("Шаблон удалён");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));

        using var api = await Server.SignedInAsync("operator1", "Operator1-demo");
        var listed = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/templates", Ct);
        var only = Assert.Single(listed.EnumerateArray());
        Assert.True(only.GetProperty("favourite").GetBoolean());
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Workstation keyboard shortcuts, the help panel, the unread count in the title and notification settings.</summary>
public sealed class ShortcutsTests : E2ETestBase
{
    private async Task WriteAsClientAsync(string visitorName, string text)
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await (await client.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "demo", user = new { name = visitorName } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "k-" + Guid.NewGuid().ToString("N"), text }, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Operator_works_the_list_by_keyboard_sees_unread_in_the_title_and_keeps_notification_settings()
    {
        await WriteAsClientAsync("Первый", "Вопрос один");
        await WriteAsClientAsync("Второй", "Вопрос два");
        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(2, new() { Timeout = 20_000 });

        // One conversation is open (read); the other's message counts in the title.
        await Assertions.Expect(op).ToHaveTitleAsync("(1) Omnichat — рабочее место оператора");
        var selected = await op.Locator(".oc-conversation.oc-selected").GetAttributeAsync("data-conversation");
        await op.Locator("#reply").FocusAsync();
        await op.Keyboard.PressAsync("Alt+ArrowDown");
        await Assertions.Expect(op.Locator(".oc-conversation.oc-selected")).Not.ToHaveAttributeAsync("data-conversation", selected!);
        await Assertions.Expect(op).ToHaveTitleAsync("Omnichat — рабочее место оператора");
        await op.Keyboard.PressAsync("Alt+ArrowUp");
        await Assertions.Expect(op.Locator(".oc-conversation.oc-selected")).ToHaveAttributeAsync("data-conversation", selected!);

        // Alt+N switches to a note, Alt+R goes to the reply box, Alt+C closes.
        await op.Keyboard.PressAsync("Alt+n");
        await Assertions.Expect(op.Locator("#note-mode")).ToBeCheckedAsync();
        await op.Keyboard.PressAsync("Alt+n");
        await Assertions.Expect(op.Locator("#note-mode")).Not.ToBeCheckedAsync();
        await op.Keyboard.PressAsync("Alt+r");
        await Assertions.Expect(op.Locator("#reply")).ToBeFocusedAsync();
        await op.Keyboard.PressAsync("Alt+c");
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(1);

        // F1 shows the help with every shortcut; notification settings are the operator's and survive a reload.
        var help = op.Locator("#help-panel");
        await PressUntilVisibleAsync(op, "F1", help);
        await Assertions.Expect(help.Locator("tbody tr")).ToHaveCountAsync(9);
        await Assertions.Expect(op.Locator("#notify-sound")).ToBeCheckedAsync();
        await op.Locator("#notify-sound").UncheckAsync();
        using var api = await Server.SignedInAsync("operator1", "Operator1-demo");
        var sound = await Eventually(async () => (await api.GetFromJsonAsync<JsonElement>("/api/v1/operators/me/notifications", Ct)).GetProperty("sound").GetBoolean(),
            on => !on);
        Assert.False(sound);
        await op.ReloadAsync();
        await op.WaitForSelectorAsync("body[data-workstation=interactive]");
        await PressUntilVisibleAsync(op, "F1", help);
        await Assertions.Expect(op.Locator("#notify-sound")).Not.ToBeCheckedAsync();
        await Assertions.Expect(op.Locator("#notify-desktop")).ToBeCheckedAsync();
    }
}

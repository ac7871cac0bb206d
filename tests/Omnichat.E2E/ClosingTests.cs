using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Tags and closing with a required resolution code in the workstation.</summary>
public sealed class ClosingTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Operator_tags_the_conversation_and_must_choose_a_resolution_to_close_it()
    {
        using var admin = await Server.AdminAsync();
        var groups = await admin.GetFromJsonAsync<JsonElement>("/api/v1/skill-groups", Ct);
        var demo = groups.EnumerateArray().First();
        (await admin.PutAsJsonAsync($"/api/v1/skill-groups/{demo.GetProperty("id").GetGuid()}", new
        {
            name = demo.GetProperty("name").GetString(),
            channelIds = demo.GetProperty("channelIds").EnumerateArray().Select(c => c.GetGuid()),
            resolutionCodes = new[] { "Решено", "Перезвонить" },
            resolutionRequired = true,
        }, Ct)).EnsureSuccessStatusCode();

        var (context, _, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "Не приходит чек");
        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();
        var item = op.Locator("[data-conversation]").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();

        // Tags: Enter adds, × removes; a hostile tag is text.
        await op.Locator("#tag-input").FillAsync("чек");
        await op.Locator("#tag-input").PressAsync("Enter");
        await op.Locator("#tag-input").FillAsync(Hostile);
        await op.Locator("#tag-input").PressAsync("Enter");
        await Assertions.Expect(op.Locator("#tags .oc-tag")).ToHaveCountAsync(2);
        await op.Locator($"#tags .oc-tag[data-tag='чек'] .oc-tag-remove").ClickAsync();
        await Assertions.Expect(op.Locator("#tags .oc-tag")).ToHaveCountAsync(1);
        await Assertions.Expect(op.Locator("#tags .oc-tag").First).ToContainTextAsync(Hostile);

        // Closing asks for the resolution; without one it is refused and stays open.
        await op.ClickAsync("#close-conversation");
        await Assertions.Expect(op.Locator("#close-panel")).ToBeVisibleAsync();
        await op.ClickAsync("#close-confirm");
        await Assertions.Expect(op.Locator("#transcript-status")).ToContainTextAsync("Choose a resolution");
        await op.Locator("#resolution").SelectOptionAsync("Перезвонить");
        await op.ClickAsync("#close-confirm");
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(0);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all", Ct);
        var closed = list.GetProperty("items")[0];
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal("Перезвонить", closed.GetProperty("resolution").GetString());
        Assert.Equal([Hostile], closed.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));
        await context.CloseAsync();
    }
}

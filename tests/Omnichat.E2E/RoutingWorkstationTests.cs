using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>
/// Routing in the workstation: an operator gets an offer (with a sound), accepts it, and transfers the
/// conversation to another group's queue with a comment — real server process, headless Chromium.
/// </summary>
public sealed class RoutingWorkstationTests : E2ETestBase
{

    [Fact]
    public async Task Operator_receives_an_offer_accepts_it_and_transfers_the_conversation_to_a_group()
    {
        using var admin = await Server.AdminAsync();
        var groups = await admin.GetFromJsonAsync<JsonElement>("/api/v1/skill-groups", Ct);
        var demo = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Общие вопросы");
        var demoId = demo.GetProperty("id").GetGuid();
        // Offers must be accepted in this group; a second group receives the transfer.
        (await admin.PutAsJsonAsync($"/api/v1/skill-groups/{demoId}", new
        {
            name = "Общие вопросы", channelIds = demo.GetProperty("channelIds"), branchIds = demo.GetProperty("branchIds"),
            regionIds = demo.GetProperty("regionIds"), autoAccept = false, offerTimeoutSeconds = 120,
        }, Ct)).EnsureSuccessStatusCode();
        var second = await (await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Второй уровень", channelIds = Array.Empty<Guid>() }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secondId = second.GetProperty("id").GetGuid();

        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();
        await Assertions.Expect(op.Locator("#operator-state")).ToHaveAttributeAsync("data-state", "ready");

        // A client writes (through the client API, as the widget does).
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await (await client.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = "demo", user = new { name = "Мария <b>Клиент</b>" } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "e2e-1", text = "Нужна помощь с заказом" }, Ct)).EnsureSuccessStatusCode();

        // The offer appears with a sound; accepting opens the conversation.
        var offer = op.Locator(".oc-offer");
        await Assertions.Expect(offer).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(offer.Locator(".oc-client")).ToHaveTextAsync("Мария <b>Клиент</b>");
        Assert.True(await op.EvaluateAsync<int>("() => window.__omnichatOfferSounds || 0") >= 1, "the offer played a sound");
        await offer.Locator(".oc-accept").ClickAsync();
        await Assertions.Expect(op.Locator(".oc-offer")).ToHaveCountAsync(0);
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(1);
        await Assertions.Expect(op.Locator("#messages .oc-in .oc-text").First).ToHaveTextAsync("Нужна помощь с заказом");

        // Transfer to the second group with a comment for the receiver.
        await op.ClickAsync("#transfer");
        await Assertions.Expect(op.Locator("#transfer-panel")).ToBeVisibleAsync();
        await op.FillAsync("#transfer-comment", "Вопрос по возврату");
        await op.ClickAsync($".oc-transfer-group[data-group='{secondId}']");
        await Assertions.Expect(op.Locator("[data-conversation]")).ToHaveCountAsync(0);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all", Ct);
        var conversation = list.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("queued", conversation.GetProperty("status").GetString());
        Assert.Equal(secondId, conversation.GetProperty("skillGroupId").GetGuid());
        var messages = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation.GetProperty("id").GetGuid()}/messages", Ct);
        Assert.Contains(messages.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "↪ Вопрос по возврату");
        await op.Context.CloseAsync();
    }
}

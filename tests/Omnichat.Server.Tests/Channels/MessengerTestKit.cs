using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Channels;

/// <summary>Shared steps of the messenger tests: a channel on a fake vendor, its conversation, its messages.</summary>
internal static class MessengerTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<(Guid Id, string Secret)> ChannelAsync(Scenario s, string kind, object settings, string name = "Messenger")
    {
        var response = await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind, name, settings }, Ct);
        var body = await Scenario.Json(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    public static async Task<HttpResponseMessage> PostWebhookAsync(OmnichatApp app, string kind, Guid channel, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{kind}/{channel}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await app.CreateClient().SendAsync(request, Ct);
    }

    /// <summary>The one conversation of the channel once it is assigned.</summary>
    public static async Task<JsonElement> AssignedConversationAsync(Scenario s, Guid channel) =>
        await Scenario.EventuallyAsync(
            async () =>
            {
                var page = await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations?scope=all&channelId={channel}", Ct));
                return page.GetProperty("items").EnumerateArray().FirstOrDefault();
            },
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("status").GetString() == "assigned", "an assigned conversation in the channel");

    public static async Task<List<JsonElement>> MessagesAsync(HttpClient staff, Guid conversation) =>
        [.. (await Scenario.Json(await staff.GetAsync($"/api/v1/conversations/{conversation}/messages", Ct))).GetProperty("messages").EnumerateArray()];

    public static async Task<int> CountAsync(OmnichatApp app, Func<Core.Kernel.OmnichatDbContext, Task<int>> count)
    {
        var n = 0;
        await app.InScopeAsync(async db => n = await count(db));
        return n;
    }

    /// <summary>Waits until the operator's message has the given delivery mark.</summary>
    public static async Task<JsonElement> DeliveryAsync(HttpClient staff, Guid conversation, string clientMessageId, string status) =>
        await Scenario.EventuallyAsync(
            async () => (await MessagesAsync(staff, conversation)).FirstOrDefault(m => m.GetProperty("clientMessageId").GetString() == clientMessageId),
            m => m.ValueKind == JsonValueKind.Object && m.GetProperty("deliveryStatus").GetString() == status, $"message {clientMessageId} {status}");
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Access;

/// <summary>
/// Two teams: group A (channel A, operator "opa") and group B (channel B, nobody ready, so its conversation waits).
/// People: a supervisor, an analyst and a user manager scoped to A; a custom role with reports only; API keys.
/// Every "out of scope" id in the access tests belongs to team B.
/// </summary>
public sealed class AccessWorld
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public const string Password = "Access-Passw0rd-1";

    public required Scenario S { get; init; }

    public required Guid GroupA { get; init; }

    public required Guid GroupB { get; init; }

    public required Guid ChannelA { get; init; }

    public required Guid ChannelB { get; init; }

    public required Guid ConversationA { get; init; }

    public required Guid ConversationB { get; init; }

    public required Guid OperatorA { get; init; }

    public required Guid OperatorB { get; init; }

    public required HttpClient ClientA { get; init; }

    public required Dictionary<string, HttpClient> People { get; init; }

    public required Dictionary<string, Guid> Ids { get; init; }

    public static async Task<AccessWorld> CreateAsync(OmnichatApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var (channelA, keyA) = await s.ChannelAsync("Site A");
        var (channelB, keyB) = await s.ChannelAsync("Site B");
        var groupA = await s.GroupAsync("Team A", channelA);
        var groupB = await s.GroupAsync("Team B", channelB);
        var (opA, opaClient) = await s.OperatorAsync("opa", groupA, capacity: 10);
        var (opB, opbClient) = await s.OperatorAsync("opb", groupB, ready: false);

        var (clientA, _) = await s.ClientAsync(keyA);
        var conversationA = await WriteAsync(clientA, "Hello from A");
        var (clientB, _) = await s.ClientAsync(keyB);
        var conversationB = await WriteAsync(clientB, "Hello from Bravo");
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{conversationA}", Ct)),
            c => c.GetProperty("status").GetString() == "assigned", "A assigned to opa");
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{conversationB}", Ct)),
            c => c.GetProperty("status").GetString() == "queued", "B queued");

        var scopeA = new { all = false, skillGroupIds = new[] { groupA } };
        var people = new Dictionary<string, HttpClient> { ["admin"] = s.Admin, ["operator"] = opaClient, ["operatorB"] = opbClient };
        var ids = new Dictionary<string, Guid> { ["operator"] = opA, ["operatorB"] = opB };
        foreach (var (login, roles) in new[] { ("supa", new[] { "supervisor" }), ("ana", new[] { "analyst" }), ("usermgr", new[] { "user-manager" }), ("rep", new[] { "reports-only" }) })
        {
            if (login == "usermgr")
            {
                await RoleAsync(s.Admin, "user-manager", ["users.manage", "conversations.handle"]);
            }
            else if (login == "rep")
            {
                await RoleAsync(s.Admin, "reports-only", ["reports.view"]);
            }

            var created = await s.Admin.PostAsJsonAsync("/api/v1/operators", new { login, password = Password, displayName = "User " + login, roles, scope = scopeA }, Ct);
            created.EnsureSuccessStatusCode();
            ids[login] = (await Scenario.Json(created)).GetProperty("id").GetGuid();
            people[login] = await app.SignedInClientAsync(login, Password);
        }

        var victim = await s.Admin.PostAsJsonAsync("/api/v1/operators", new { login = "victim", password = Password, displayName = "Victim", skillGroupIds = new[] { groupA } }, Ct);
        ids["victim"] = (await Scenario.Json(victim)).GetProperty("id").GetGuid();
        ids["spare-role"] = await RoleAsync(s.Admin, "spare", ["reports.view"]);
        ids["spare-key"] = (await KeyAsync(s.Admin, "Spare", ["reports:read"], new { all = true })).Key.GetProperty("id").GetGuid();
        people["key-read"] = await KeyClientAsync(app, s.Admin, "BI", ["conversations:read"], scopeA);
        people["key-channels"] = await KeyClientAsync(app, s.Admin, "Connector", ["channels"], new { all = true });
        people["client"] = clientA;
        people["anonymous"] = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return new AccessWorld
        {
            S = s, GroupA = groupA, GroupB = groupB, ChannelA = channelA, ChannelB = channelB, ConversationA = conversationA, ConversationB = conversationB,
            OperatorA = opA, OperatorB = opB, ClientA = clientA, People = people, Ids = ids,
        };
    }

    public static async Task<Guid> WriteAsync(HttpClient client, string text)
    {
        var sent = await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text }, Ct);
        sent.EnsureSuccessStatusCode();
        return (await Scenario.Json(sent)).GetProperty("conversationId").GetGuid();
    }

    public static async Task<Guid> RoleAsync(HttpClient admin, string name, string[] permissions)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/roles", new { name, permissions }, Ct);
        created.EnsureSuccessStatusCode();
        return (await Scenario.Json(created)).GetProperty("id").GetGuid();
    }

    public static async Task<(JsonElement Key, string Secret)> KeyAsync(HttpClient admin, string name, string[] scopes, object visibility)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name, scopes, visibility }, Ct);
        created.EnsureSuccessStatusCode();
        var body = await Scenario.Json(created);
        return (body.GetProperty("key"), body.GetProperty("secret").GetString()!);
    }

    public static async Task<HttpClient> KeyClientAsync(OmnichatApp app, HttpClient admin, string name, string[] scopes, object visibility)
    {
        var (_, secret) = await KeyAsync(admin, name, scopes, visibility);
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return http;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

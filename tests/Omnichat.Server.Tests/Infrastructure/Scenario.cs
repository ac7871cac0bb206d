using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Omnichat.Server.Tests.Infrastructure;

/// <summary>Builds the usual world through the real API: a webchat channel, a skill group, operators.</summary>
public sealed class Scenario(OmnichatApp app, HttpClient admin)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Admin { get; } = admin;

    public static async Task<Scenario> CreateAsync(OmnichatApp app) => new(app, await app.AdminClientAsync());

    public async Task<(Guid Id, string Key)> ChannelAsync(string name = "Site", bool enabled = true)
    {
        var body = await Json(await Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name }, Ct));
        var id = body.GetProperty("id").GetGuid();
        if (!enabled)
        {
            (await Admin.PutAsJsonAsync($"/api/v1/channels/{id}", new { name, enabled = false }, Ct)).EnsureSuccessStatusCode();
        }

        return (id, body.GetProperty("key").GetString()!);
    }

    public async Task<Guid> GroupAsync(string name, params Guid[] channels) =>
        (await Json(await Admin.PostAsJsonAsync("/api/v1/skill-groups", new { name, channelIds = channels }, Ct))).GetProperty("id").GetGuid();

    /// <summary>Creates an operator and returns a signed-in client for them.</summary>
    public async Task<(Guid Id, HttpClient Client)> OperatorAsync(string login, Guid group, int capacity = 3, bool ready = true)
    {
        const string password = "Operator-Passw0rd";
        var body = await Json(await Admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login, password, displayName = "Op " + login, skillGroupIds = new[] { group }, capacity,
        }, Ct));
        var client = await app.SignedInClientAsync(login, password);
        if (ready)
        {
            (await client.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        }

        return (body.GetProperty("id").GetGuid(), client);
    }

    /// <summary>Starts a client session; returns an HTTP client carrying its token, and the session body.</summary>
    public async Task<(HttpClient Client, JsonElement Session)> ClientAsync(string channelKey, string? visitorId = null)
    {
        var http = app.CreateClient();
        var response = await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey, visitorId }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await Json(response);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return (http, session);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    /// <summary>Polls until the condition holds (events are delivered asynchronously by the dispatcher).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}. Last value: {value}");
            }

            await Task.Delay(50, Ct);
        }
    }
}

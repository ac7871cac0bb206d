using System.Net;
using System.Net.Http.Json;
using System.Text;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Api;

public abstract class ChannelsApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("webchat")]
    [InlineData("viber")]
    [InlineData("vk")]
    [InlineData("telegram")]
    [InlineData("api")]
    public async Task Create_EachKind_Is201WithKeyAndSecret(string kind)
    {
        var admin = await App.AdminClientAsync();
        // Each messenger needs its credentials (checked by its adapter); other settings are kept as given.
        var settings = new System.Text.Json.Nodes.JsonObject
        {
            ["theme"] = new System.Text.Json.Nodes.JsonObject { ["colour"] = "#0055ff" },
            ["botToken"] = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ["authToken"] = "viber-auth-token-0001",
            ["accessToken"] = "vk1.a.community-token",
            ["groupId"] = 42,
            ["confirmationCode"] = "abc123",
            ["outboundUrl"] = "https://connector.example.com/omnichat",
        };
        var response = await admin.PostAsJsonAsync("/api/v1/channels", new { kind, name = $"Channel {kind}", settings }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/channels/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(kind, body.GetProperty("kind").GetString());
        Assert.True(body.GetProperty("key").GetString()!.Length >= 20);
        Assert.True(body.GetProperty("secret").GetString()!.Length >= 40);
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.Equal("#0055ff", body.GetProperty("settings").GetProperty("theme").GetProperty("colour").GetString());

        var fetched = await ReadJsonAsync(await admin.GetAsync($"/api/v1/channels/{id}", Ct));
        Assert.Equal(body.GetProperty("key").GetString(), fetched.GetProperty("key").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fetched.GetProperty("secret").ValueKind); // shown once, at creation
        var list = await ReadJsonAsync(await admin.GetAsync("/api/v1/channels", Ct));
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Update_ReplacesNameStateAndPlacement_KeepsSettingsWhenOmitted()
    {
        var admin = await App.AdminClientAsync();
        var branch = await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/branches", new { name = "North", timeZone = "Europe/Moscow" }, Ct));
        var channel = await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/channels",
            new { kind = "telegram", name = "Bot", settings = new { botToken = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", greeting = "Привет" } }, Ct));
        var id = channel.GetProperty("id").GetGuid();

        var response = await admin.PutAsJsonAsync($"/api/v1/channels/{id}", new { name = "Renamed bot", enabled = false, branchId = branch.GetProperty("id").GetGuid() }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await ReadJsonAsync(await admin.GetAsync($"/api/v1/channels/{id}", Ct));
        Assert.Equal("Renamed bot", updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal(branch.GetProperty("id").GetGuid(), updated.GetProperty("branchId").GetGuid());
        Assert.Equal("Привет", updated.GetProperty("settings").GetProperty("greeting").GetString());
        Assert.Equal("••••WXYZ", updated.GetProperty("settings").GetProperty("botToken").GetString()); // kept, never shown
        Assert.Equal(channel.GetProperty("key").GetString(), updated.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Create_NameWithMarkup_IsStoredVerbatimAndReturnedAsJsonText()
    {
        var admin = await App.AdminClientAsync();
        const string hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        var response = await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = hostile }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(hostile, (await ReadJsonAsync(response)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"kind":"icq","name":"Old"}""", "kind")]
    [InlineData("""{"kind":3,"name":"Number kind"}""", "kind")]
    [InlineData("""{"name":"No kind"}""", "kind")]
    [InlineData("""{"kind":"webchat"}""", "name")]
    [InlineData("""{"kind":"webchat","name":"   "}""", "name")]
    [InlineData("""{"kind":"webchat","name":123}""", "name")]
    [InlineData("""{"kind":"webchat","name":"ok","settings":"not an object"}""", "settings")]
    [InlineData("""{"kind":"webchat","name":"ok","branchId":"not-a-guid"}""", "branchId")]
    [InlineData("""{"kind":"webchat","name":"ok","branchId":"00000000-0000-0000-0000-00000000abcd"}""", "branchId")]
    [InlineData("""{"kind":"webchat","name":"ok","regionId":"00000000-0000-0000-0000-00000000abcd"}""", "regionId")]
    [InlineData("""{"kind":"webchat","name":"line\nbreak"}""", "name")]
    [InlineData("""{"kind":"webchat","name":"ok" """, "body")]
    [InlineData("""[1,2,3]""", "body")]
    public async Task Create_WithBadInput_Is400NamingTheField_AndWritesNothing(string json, string field)
    {
        var admin = await App.AdminClientAsync();
        var before = (await ReadJsonAsync(await admin.GetAsync("/api/v1/channels", Ct))).GetArrayLength();

        var response = await admin.PostAsync("/api/v1/channels", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        await AssertInvalidFieldAsync(response, field);
        Assert.Equal(before, (await ReadJsonAsync(await admin.GetAsync("/api/v1/channels", Ct))).GetArrayLength());
    }

    [Fact]
    public async Task Create_WithOverLongNameOrSettings_Is400()
    {
        var admin = await App.AdminClientAsync();
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = new string('x', 201) }, Ct), "name");
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Big", settings = new { blob = new string('x', 70_000) } }, Ct), "settings");
    }

    [Fact]
    public async Task Update_UnknownChannel_Is404Problem()
    {
        var admin = await App.AdminClientAsync();
        var response = await admin.PutAsJsonAsync($"/api/v1/channels/{Guid.NewGuid()}", new { name = "Ghost" }, Ct);
        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        await AssertProblemAsync(await admin.GetAsync($"/api/v1/channels/{Guid.NewGuid()}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RotateSecret_ShowsANewSecretOnce()
    {
        var admin = await App.AdminClientAsync();
        var created = await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Rotate" }, Ct));
        var id = created.GetProperty("id").GetGuid();

        var rotated = await ReadJsonAsync(await admin.PostAsync($"/api/v1/channels/{id}/rotate-secret", null, Ct));

        Assert.NotEqual(created.GetProperty("secret").GetString(), rotated.GetProperty("secret").GetString());
        Assert.Equal(created.GetProperty("key").GetString(), rotated.GetProperty("key").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await ReadJsonAsync(await admin.GetAsync("/api/v1/channels", Ct)))[0].GetProperty("secret").ValueKind);
        await AssertProblemAsync(await admin.PostAsync($"/api/v1/channels/{Guid.NewGuid()}/rotate-secret", null, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_WithWrongContentType_Is4xxProblem()
    {
        var admin = await App.AdminClientAsync();
        var response = await admin.PostAsync("/api/v1/channels", new StringContent("kind=webchat&name=x", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class ChannelsApiTestsOnSqlite() : ChannelsApiTests(DatabaseProvider.Sqlite);

public sealed class ChannelsApiTestsOnPostgres() : ChannelsApiTests(DatabaseProvider.Postgres);

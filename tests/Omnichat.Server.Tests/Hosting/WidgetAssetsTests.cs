using System.Net;
using System.Net.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Hosting;

public sealed class WidgetAssetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/widget.js", "text/javascript")]
    [InlineData("/widget/chat.js", "text/javascript")]
    [InlineData("/widget/frame.html", "text/html")]
    public async Task WidgetFiles_AreServedFromTheAssembly(string path, string type)
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        var response = await app.CreateClient().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True((await response.Content.ReadAsByteArrayAsync(Ct)).Length > 100);
    }

    [Fact]
    public async Task ChatWindow_OfAChannelWithAllowedDomains_MayOnlyBeFramedByThem()
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        var admin = await app.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/channels", new
        {
            kind = "webchat", name = "Shop",
            settings = new { allowedDomains = new[] { "shop.example.com", "Example.org", "evil.com; script-src *", "https://bad" } },
        }, Ct);
        var key = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("key").GetString();
        var open = await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Anywhere" }, Ct);
        var openKey = (await open.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("key").GetString();

        var framed = await app.CreateClient().GetAsync($"/widget/frame.html?channel={key}", Ct);
        var csp = string.Join(" ", framed.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal("frame-ancestors 'self' https://shop.example.com https://*.shop.example.com https://example.org https://*.example.org", csp);

        var anywhere = await app.CreateClient().GetAsync($"/widget/frame.html?channel={openKey}", Ct);
        Assert.False(anywhere.Headers.Contains("Content-Security-Policy"));
        Assert.Equal(HttpStatusCode.OK, anywhere.StatusCode);
    }

    [Fact]
    public async Task WidgetConfig_GivesTheThemeFromSettings_DroppingUnsafeValues()
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        var admin = await app.AdminClientAsync();
        async Task<string> ChannelAsync(object settings, string name = "Shop")
        {
            var r = await admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name, settings }, Ct);
            return (await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("key").GetString()!;
        }

        var good = await ChannelAsync(new
        {
            requireVerifiedUser = true,
            theme = new { title = "Помощь <b>", color = "#1A2B3C", avatarUrl = "https://cdn.example.com/a.png", position = "left", launcherText = "Чат" },
        });
        var bad = await ChannelAsync(new
        {
            theme = new { color = "red;background:url(x)", avatarUrl = "javascript:alert(1)", position = "top", launcherText = "line\nbreak", title = "" },
        }, "Fallback name");

        var http = app.CreateClient();
        var response = await http.GetAsync($"/api/client/v1/channels/{good}/config", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var config = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.Equal("Помощь <b>", config.GetProperty("title").GetString());
        Assert.Equal("#1a2b3c", config.GetProperty("color").GetString());
        Assert.Equal("https://cdn.example.com/a.png", config.GetProperty("avatarUrl").GetString());
        Assert.Equal("left", config.GetProperty("position").GetString());
        Assert.Equal("Чат", config.GetProperty("launcherText").GetString());
        Assert.True(config.GetProperty("requireVerifiedUser").GetBoolean());

        var fallback = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/client/v1/channels/{bad}/config", Ct);
        Assert.Equal("Fallback name", fallback.GetProperty("title").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fallback.GetProperty("color").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fallback.GetProperty("avatarUrl").ValueKind);
        Assert.Equal("right", fallback.GetProperty("position").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fallback.GetProperty("launcherText").ValueKind);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/client/v1/channels/no-such-key/config", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/widget/..%2Fappsettings.json")]
    [InlineData("/widget/Omnichat.Server.dll")]
    [InlineData("/widget/sizes.json")]
    public async Task AnythingElse_IsNotFound(string path)
    {
        await using var app = new OmnichatApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(path, Ct)).StatusCode);
    }
}

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

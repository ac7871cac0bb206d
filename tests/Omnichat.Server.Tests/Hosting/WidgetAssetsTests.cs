using System.Net;
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

using System.Net;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Health;

public abstract class HealthAndDocsTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_And_Ready_Are200_ReadyReportsDatabaseAndMigrations()
    {
        var client = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);

        var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ReadJsonAsync(ready);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesTheStaffApi_AndTheBrowsableUiIsServed()
    {
        var client = App.CreateClient();
        var doc = await ReadJsonAsync(await client.GetAsync("/openapi/v1.json", Ct));
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/auth/token", "/api/v1/channels", "/api/v1/channels/{id}", "/api/v1/skill-groups", "/api/v1/operators", "/api/v1/branches", "/api/v1/regions" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }

        var ui = await client.GetAsync("/api-docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem() =>
        await AssertProblemAsync(await App.CreateClient().GetAsync("/api/v1/no-such-thing", Ct), HttpStatusCode.NotFound);
}

public sealed class HealthAndDocsTestsOnSqlite() : HealthAndDocsTests(DatabaseProvider.Sqlite);

public sealed class HealthAndDocsTestsOnPostgres() : HealthAndDocsTests(DatabaseProvider.Postgres);

using System.Net;
using System.Net.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Api;

public abstract class OrganisationApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BranchesAndRegions_CreateListUpdate()
    {
        var admin = await App.AdminClientAsync();
        var branchResponse = await admin.PostAsJsonAsync("/api/v1/branches", new { name = "Урал", timeZone = "Asia/Yekaterinburg" }, Ct);
        Assert.Equal(HttpStatusCode.Created, branchResponse.StatusCode);
        var branch = (await ReadJsonAsync(branchResponse)).GetProperty("id").GetGuid();
        var regionResponse = await admin.PostAsJsonAsync("/api/v1/regions", new { name = "Пермь", branchId = branch }, Ct);
        Assert.Equal(HttpStatusCode.Created, regionResponse.StatusCode);
        var region = (await ReadJsonAsync(regionResponse)).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/branches/{branch}", new { name = "Урал и Сибирь" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/regions/{region}", new { name = "Пермский край" }, Ct)).StatusCode);

        var b = await ReadJsonAsync(await admin.GetAsync($"/api/v1/branches/{branch}", Ct));
        Assert.Equal("Урал и Сибирь", b.GetProperty("name").GetString());
        Assert.Equal("Asia/Yekaterinburg", b.GetProperty("timeZone").GetString());
        var regions = await ReadJsonAsync(await admin.GetAsync("/api/v1/regions", Ct));
        var r = Assert.Single(regions.EnumerateArray());
        Assert.Equal("Пермский край", r.GetProperty("name").GetString());
        Assert.Equal(JsonValueKindNull, r.GetProperty("branchId").ValueKind);
        Assert.Single((await ReadJsonAsync(await admin.GetAsync("/api/v1/branches", Ct))).EnumerateArray());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task BadInput_IsClear4xx()
    {
        var admin = await App.AdminClientAsync();
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/branches", new { name = "X", timeZone = "Mars/Olympus" }, Ct), "timeZone");
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/branches", new { name = "" }, Ct), "name");
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/regions", new { name = "Y", branchId = Guid.NewGuid() }, Ct), "branchId");
        await admin.PostAsJsonAsync("/api/v1/branches", new { name = "Twice" }, Ct);
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/branches", new { name = "Twice" }, Ct), HttpStatusCode.Conflict);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/regions/{Guid.NewGuid()}", new { name = "Nowhere" }, Ct), HttpStatusCode.NotFound);
        Assert.Single((await ReadJsonAsync(await admin.GetAsync("/api/v1/branches", Ct))).EnumerateArray());
        Assert.Empty((await ReadJsonAsync(await admin.GetAsync("/api/v1/regions", Ct))).EnumerateArray());
    }
}

public sealed class OrganisationApiTestsOnSqlite() : OrganisationApiTests(DatabaseProvider.Sqlite);

public sealed class OrganisationApiTestsOnPostgres() : OrganisationApiTests(DatabaseProvider.Postgres);

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Api;

public abstract class SkillGroupsApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> CreateAsync(HttpClient admin, string path, object body)
    {
        var response = await admin.PostAsJsonAsync(path, body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("id").GetGuid();
    }

    private static Guid[] Ids(JsonElement body, string property) =>
        body.GetProperty(property).EnumerateArray().Select(e => e.GetGuid()).Order().ToArray();

    [Fact]
    public async Task CreateAndUpdate_ConnectsChannelsBranchesAndRegions()
    {
        var admin = await App.AdminClientAsync();
        var web = await CreateAsync(admin, "/api/v1/channels", new { kind = "webchat", name = "Site" });
        var tg = await CreateAsync(admin, "/api/v1/channels", new { kind = "telegram", name = "Bot", settings = new { botToken = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" } });
        var branch = await CreateAsync(admin, "/api/v1/branches", new { name = "Siberia", timeZone = "Asia/Novosibirsk" });
        var region = await CreateAsync(admin, "/api/v1/regions", new { name = "Omsk", branchId = branch });

        var created = await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Billing", channelIds = new[] { web, tg }, branchIds = new[] { branch }, regionIds = new[] { region } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var group = await ReadJsonAsync(created);
        var id = group.GetProperty("id").GetGuid();
        Assert.Equal(new[] { web, tg }.Order().ToArray(), Ids(group, "channelIds"));
        Assert.Equal([branch], Ids(group, "branchIds"));
        Assert.Equal([region], Ids(group, "regionIds"));

        var updated = await admin.PutAsJsonAsync($"/api/v1/skill-groups/{id}", new { name = "Billing & payments", channelIds = new[] { tg }, branchIds = Array.Empty<Guid>() }, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var fetched = await ReadJsonAsync(await admin.GetAsync($"/api/v1/skill-groups/{id}", Ct));
        Assert.Equal("Billing & payments", fetched.GetProperty("name").GetString());
        Assert.Equal([tg], Ids(fetched, "channelIds"));
        Assert.Empty(Ids(fetched, "branchIds"));
        Assert.Empty(Ids(fetched, "regionIds"));
        Assert.Single((await ReadJsonAsync(await admin.GetAsync("/api/v1/skill-groups", Ct))).EnumerateArray());
    }

    [Fact]
    public async Task Create_WithAnUnknownId_Is400NamingItsPosition_AndWritesNothing()
    {
        var admin = await App.AdminClientAsync();
        var web = await CreateAsync(admin, "/api/v1/channels", new { kind = "webchat", name = "Site" });

        await AssertInvalidFieldAsync(
            await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Broken", channelIds = new[] { web, Guid.NewGuid() } }, Ct),
            "channelIds[1]");
        await AssertInvalidFieldAsync(
            await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Broken", channelIds = new[] { web }, regionIds = new[] { Guid.NewGuid() } }, Ct),
            "regionIds[0]");
        await AssertInvalidFieldAsync(
            await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Broken", channelIds = new object[] { web, 42 } }, Ct),
            "channelIds[1]");
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "No channels" }, Ct), "channelIds");

        Assert.Equal(0, (await ReadJsonAsync(await admin.GetAsync("/api/v1/skill-groups", Ct))).GetArrayLength());
    }

    [Fact]
    public async Task Create_DuplicateName_Is409Problem()
    {
        var admin = await App.AdminClientAsync();
        await CreateAsync(admin, "/api/v1/skill-groups", new { name = "Sales", channelIds = Array.Empty<Guid>() });
        var problem = await AssertProblemAsync(
            await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = " Sales ", channelIds = Array.Empty<Guid>() }, Ct),
            HttpStatusCode.Conflict);
        Assert.Equal("name", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Update_UnknownGroup_Is404Problem() =>
        await AssertProblemAsync(
            await (await App.AdminClientAsync()).PutAsJsonAsync($"/api/v1/skill-groups/{Guid.NewGuid()}", new { name = "X", channelIds = Array.Empty<Guid>() }, Ct),
            HttpStatusCode.NotFound);
}

public sealed class SkillGroupsApiTestsOnSqlite() : SkillGroupsApiTests(DatabaseProvider.Sqlite);

public sealed class SkillGroupsApiTestsOnPostgres() : SkillGroupsApiTests(DatabaseProvider.Postgres);

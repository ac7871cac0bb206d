using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Api;

public abstract class OperatorsApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_MakesAnAccountThatCanSignIn_WithProfileAndGroups()
    {
        var admin = await App.AdminClientAsync();
        var group = (await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "Support", channelIds = Array.Empty<Guid>() }, Ct))).GetProperty("id").GetGuid();

        var response = await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "anna.petrova", password = "Anna-Passw0rd", displayName = "Анна Петрова", skillGroupIds = new[] { group }, capacity = 4,
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("anna.petrova", body.GetProperty("login").GetString());
        Assert.Equal("Анна Петрова", body.GetProperty("displayName").GetString());
        Assert.Equal(4, body.GetProperty("capacity").GetInt32());
        Assert.Equal("offline", body.GetProperty("status").GetString());
        Assert.Equal(["operator"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([group], body.GetProperty("skillGroupIds").EnumerateArray().Select(g => g.GetGuid()));
        Assert.False(body.TryGetProperty("password", out _));
        Assert.False(body.TryGetProperty("passwordHash", out _));

        await App.SignedInClientAsync("anna.petrova", "Anna-Passw0rd");
        var list = await ReadJsonAsync(await admin.GetAsync("/api/v1/operators", Ct));
        Assert.Contains(list.EnumerateArray(), o => o.GetProperty("login").GetString() == "anna.petrova");
    }

    [Fact]
    public async Task Update_ChangesProfileGroupsRolesAndPassword()
    {
        var admin = await App.AdminClientAsync();
        var g1 = (await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "G1", channelIds = Array.Empty<Guid>() }, Ct))).GetProperty("id").GetGuid();
        var g2 = (await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/skill-groups", new { name = "G2", channelIds = Array.Empty<Guid>() }, Ct))).GetProperty("id").GetGuid();
        var id = (await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "boris", password = "Boris-Passw0rd", displayName = "Boris", skillGroupIds = new[] { g1 }, capacity = 2,
        }, Ct))).GetProperty("id").GetGuid();

        var response = await admin.PutAsJsonAsync($"/api/v1/operators/{id}", new
        {
            displayName = "Boris S.", skillGroupIds = new[] { g2 }, capacity = 6, roles = new[] { "supervisor", "operator" }, password = "Boris-NewPassw0rd",
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("Boris S.", body.GetProperty("displayName").GetString());
        Assert.Equal(6, body.GetProperty("capacity").GetInt32());
        Assert.Equal([g2], body.GetProperty("skillGroupIds").EnumerateArray().Select(g => g.GetGuid()));
        Assert.Equal(["operator", "supervisor"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        await App.SignedInClientAsync("boris", "Boris-NewPassw0rd");
        await AssertProblemAsync(
            await App.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { login = "boris", password = "Boris-Passw0rd" }, Ct),
            HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("../../etc/passwd", "Good-Passw0rd", 2, "login")]
    [InlineData("white space", "Good-Passw0rd", 2, "login")]
    [InlineData("", "Good-Passw0rd", 2, "login")]
    [InlineData("weak", "short", 2, "password")]
    [InlineData("weak2", "alllowercaseletters", 2, "password")]
    [InlineData("negative", "Good-Passw0rd", -1, "capacity")]
    [InlineData("huge", "Good-Passw0rd", 1000, "capacity")]
    public async Task Create_WithBadInput_Is400NamingTheField_AndLeavesNoAccount(string login, string password, int capacity, string field)
    {
        var admin = await App.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/operators", new { login, password, displayName = "Someone", capacity }, Ct);

        await AssertInvalidFieldAsync(response, field);
        await App.InScopeAsync(async db =>
        {
            Assert.Equal(1, await db.Users.CountAsync(Ct));
            Assert.Equal(1, await db.Operators.CountAsync(Ct));
        });
    }

    [Fact]
    public async Task Create_WithUnknownGroupOrRole_Is400_AndLeavesNoAccount()
    {
        var admin = await App.AdminClientAsync();
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "ghost", password = "Good-Passw0rd", displayName = "Ghost", capacity = 1, skillGroupIds = new[] { Guid.NewGuid() },
        }, Ct), "skillGroupIds[0]");
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "ghost", password = "Good-Passw0rd", displayName = "Ghost", capacity = 1, roles = new[] { "root" },
        }, Ct), "roles");
        await App.InScopeAsync(async db => Assert.False(await db.Operators.AnyAsync(o => o.Login == "ghost", Ct)));
    }

    [Fact]
    public async Task Create_TakenLogin_Is409Problem()
    {
        var admin = await App.AdminClientAsync();
        var problem = await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "admin", password = "Good-Passw0rd", displayName = "Second admin", capacity = 1,
        }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("login", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Update_CannotDisableYourself()
    {
        var admin = await App.AdminClientAsync();
        var me = (await ReadJsonAsync(await admin.GetAsync("/api/v1/operators", Ct))).EnumerateArray()
            .Single(o => o.GetProperty("login").GetString() == "admin").GetProperty("id").GetGuid();

        await AssertProblemAsync(
            await admin.PutAsJsonAsync($"/api/v1/operators/{me}", new { displayName = "Me", enabled = false }, Ct),
            HttpStatusCode.Conflict);
        await AssertProblemAsync(
            await admin.PutAsJsonAsync($"/api/v1/operators/{Guid.NewGuid()}", new { displayName = "Nobody" }, Ct),
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Each_operator_keeps_their_own_notification_settings()
    {
        var s = await Scenario.CreateAsync(App);
        var group = await s.GroupAsync("Notify");
        var (_, ann) = await s.OperatorAsync("notify.ann", group);
        var (_, bob) = await s.OperatorAsync("notify.bob", group);
        var ct = TestContext.Current.CancellationToken;
        var defaults = await Scenario.Json(await ann.GetAsync("/api/v1/operators/me/notifications", ct));
        Assert.True(defaults.GetProperty("sound").GetBoolean());
        Assert.True(defaults.GetProperty("desktop").GetBoolean());

        var changed = await Scenario.Json(await ann.PutAsJsonAsync("/api/v1/operators/me/notifications", new { sound = false }, ct));
        Assert.False(changed.GetProperty("sound").GetBoolean());
        Assert.True(changed.GetProperty("desktop").GetBoolean()); // not given: kept
        Assert.True((await Scenario.Json(await bob.GetAsync("/api/v1/operators/me/notifications", ct))).GetProperty("sound").GetBoolean());
        await AssertInvalidFieldAsync(await ann.PutAsync("/api/v1/operators/me/notifications",
            new StringContent("{\"sound\":\"loud\"}", System.Text.Encoding.UTF8, "application/json"), ct), "sound");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/v1/operators/me/notifications", ct)).StatusCode);
    }
}

public sealed class OperatorsApiTestsOnSqlite() : OperatorsApiTests(DatabaseProvider.Sqlite);

public sealed class OperatorsApiTestsOnPostgres() : OperatorsApiTests(DatabaseProvider.Postgres);

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Api;

public abstract class AuthApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Fact]
    public async Task Token_WithCorrectCredentials_IsABearerThatAuthorisesTheAdminApi()
    {
        var client = App.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin", password = OmnichatApp.AdminPassword }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var token = body.GetProperty("accessToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > TimeProvider.System.GetUtcNow().AddHours(1));

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/channels", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("admin", "wrong-password")]
    [InlineData("nobody", "whatever-password")]
    public async Task Token_WithWrongCredentials_Is401ProblemWithoutSayingWhichPartWasWrong(string login, string password)
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { login, password }, TestContext.Current.CancellationToken);
        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Wrong login or password.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_AfterRepeatedFailures_LocksTheAccountEvenForTheRightPassword()
    {
        var admin = await App.AdminClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "locked.user", password = "Locked-Passw0rd", displayName = "Locked", skillGroupIds = Array.Empty<Guid>(), capacity = 2,
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var client = App.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/token", new { login = "locked.user", password = "nope-nope-nope" }, TestContext.Current.CancellationToken);
        }

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { login = "locked.user", password = "Locked-Passw0rd" }, TestContext.Current.CancellationToken);
        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Account locked.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Token_WithMissingFields_Is400NamingThem()
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { login = "admin" }, TestContext.Current.CancellationToken);
        await AssertInvalidFieldAsync(response, "password");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8forgedforgedforgedforgedforgedforgedforgedforged")]
    public async Task AdminApi_WithoutAValidToken_Is401Problem(string? token)
    {
        var client = App.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        await AssertProblemAsync(await client.GetAsync("/api/v1/operators", TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminApi_ForAnOperator_Is403Problem()
    {
        var admin = await App.AdminClientAsync();
        await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "plain.operator", password = "Operator-Passw0rd", displayName = "Plain", capacity = 2,
        }, TestContext.Current.CancellationToken);
        var op = await App.SignedInClientAsync("plain.operator", "Operator-Passw0rd");

        await AssertProblemAsync(await op.GetAsync("/api/v1/operators", TestContext.Current.CancellationToken), HttpStatusCode.Forbidden);
        await AssertProblemAsync(
            await op.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Sneaky" }, TestContext.Current.CancellationToken),
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task DisablingAnOperator_RevokesTokensIssuedBefore()
    {
        var admin = await App.AdminClientAsync();
        var created = await ReadJsonAsync(await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "soon.disabled", password = "Disabled-Passw0rd", displayName = "Soon disabled", capacity = 2, roles = new[] { "administrator" },
        }, TestContext.Current.CancellationToken));
        var theirs = await App.SignedInClientAsync("soon.disabled", "Disabled-Passw0rd");
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/api/v1/channels", TestContext.Current.CancellationToken)).StatusCode);

        var update = await admin.PutAsJsonAsync($"/api/v1/operators/{created.GetProperty("id").GetGuid()}", new
        {
            displayName = "Disabled", enabled = false,
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        await AssertProblemAsync(await theirs.GetAsync("/api/v1/channels", TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized);
        var again = await App.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { login = "soon.disabled", password = "Disabled-Passw0rd" }, TestContext.Current.CancellationToken);
        await AssertProblemAsync(again, HttpStatusCode.Unauthorized);
    }
}

public sealed class AuthApiTestsOnSqlite() : AuthApiTests(DatabaseProvider.Sqlite);

public sealed class AuthApiTestsOnPostgres() : AuthApiTests(DatabaseProvider.Postgres);

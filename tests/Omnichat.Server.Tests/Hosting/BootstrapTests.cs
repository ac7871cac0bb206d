using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Hosting;

public sealed partial class BootstrapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_WithoutConfiguredPassword_PrintsAGeneratedOneOnce_AndStoresOnlyItsHash()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        string password;
        await using (var app = new OmnichatApp(database, adminPassword: null))
        {
            _ = app.Server;
            var match = PasswordLine().Match(app.Console.ToString());
            Assert.True(match.Success, "The generated password was not printed: " + app.Console);
            password = match.Groups[1].Value;
            Assert.True(password.Length >= 20);

            await app.SignedInClientAsync("admin", password);
            await app.InScopeAsync(async db =>
            {
                var hash = await db.Users.Where(u => u.UserName == "admin").Select(u => u.PasswordHash).SingleAsync(Ct);
                Assert.DoesNotContain(password, hash, StringComparison.Ordinal);
            });
        }

        // Second start on the same database: nothing is created or printed again.
        await using var again = new OmnichatApp(database, adminPassword: null);
        _ = again.Server;
        Assert.DoesNotContain("password:", again.Console.ToString(), StringComparison.Ordinal);
        await again.SignedInClientAsync("admin", password);
    }

    [Fact]
    public async Task DemoData_WhenEnabled_GivesTheDemoChannelGroupOperatorsAndPage()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new OmnichatApp(database).WithSetting("Omnichat:Demo:Enabled", "true");
        var admin = await app.AdminClientAsync();

        var channels = await admin.GetFromJsonAsync<List<ChannelRow>>("/api/v1/channels", Ct);
        var channel = Assert.Single(channels!);
        Assert.Equal("webchat", channel.Kind);
        Assert.Equal("demo", channel.Key);
        var groups = await admin.GetFromJsonAsync<List<GroupRow>>("/api/v1/skill-groups", Ct);
        Assert.Contains(channel.Id, Assert.Single(groups!).ChannelIds);
        await app.SignedInClientAsync("operator1", "Operator1-demo");
        await app.SignedInClientAsync("operator2", "Operator2-demo");

        var page = await app.CreateClient().GetAsync("/demo", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-channel=\"demo\"", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPage_IsAbsent_WhenDemoIsOff()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new OmnichatApp(database);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/demo", Ct)).StatusCode);
    }

    private sealed record ChannelRow(Guid Id, string Kind, string Key);

    private sealed record GroupRow(Guid Id, List<Guid> ChannelIds);

    [GeneratedRegex(@"password: (\S+)")]
    private static partial Regex PasswordLine();
}

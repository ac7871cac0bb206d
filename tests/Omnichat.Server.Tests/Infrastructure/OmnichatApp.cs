using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Infrastructure;

/// <summary>The real server (Program.cs, full HTTP pipeline) on a test database.</summary>
public sealed class OmnichatApp(
    TestDatabase database, string roles = "web,channels,worker", Action<IServiceCollection>? services = null, string? adminPassword = OmnichatApp.AdminPassword)
    : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Passw0rd-For-Tests";

    public TestDatabase Database { get; } = database;

    private readonly Dictionary<string, string?> _extraSettings = [];

    public StringWriter Console { get; } = new();

    /// <summary>Adds a configuration value before the server starts.</summary>
    public OmnichatApp WithSetting(string key, string? value)
    {
        _extraSettings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Omnichat:Roles", roles);
        builder.UseSetting("Omnichat:Bootstrap:AdminPassword", adminPassword ?? "");
        builder.UseSetting("Omnichat:Outbox:PollInterval", "00:00:00.200");
        // Messenger retries in test time: an "outage of minutes" is a few scripted failures a fraction of a second apart.
        builder.UseSetting("Omnichat:Messengers:PollInterval", "00:00:00.200");
        builder.UseSetting("Omnichat:Messengers:FirstRetryDelay", "00:00:00.100");
        builder.UseSetting("Omnichat:Messengers:MaxRetryDelay", "00:00:00.400");
        builder.UseSetting("Omnichat:Messengers:RequestTimeout", "00:00:02");
        // Media links for vendors that fetch files by URL point at the test server's own address.
        builder.UseSetting("Omnichat:Messengers:PublicUrl", "http://localhost");
        // Every test request comes from the same (unknown) address; the session limit has its own test.
        builder.UseSetting("Omnichat:ClientSessions:PerAddressPerMinute", "100000");
        foreach (var (key, value) in _extraSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TextWriter>(Console);
            services?.Invoke(s);
        });
    }

    /// <summary>A client signed in as the bootstrap administrator.</summary>
    public async Task<HttpClient> AdminClientAsync() => await SignedInClientAsync("admin", AdminPassword);

    public async Task<HttpClient> SignedInClientAsync(string login, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { login, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task InScopeAsync(Func<OmnichatDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<OmnichatDbContext>());
    }

    public async Task<T> InScopeAsync<T>(Func<OmnichatDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<OmnichatDbContext>());
    }

    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);
}

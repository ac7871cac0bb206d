using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Omnichat.Testing;

namespace Omnichat.Client.Tests.Infrastructure;

/// <summary>
/// The real server (Program.cs, full pipeline) on Kestrel at a loopback port, on a test database. Stopping
/// it and starting another host on the same database and port is a server restart, as an app sees it.
/// </summary>
public sealed class ServerHost : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Passw0rd-For-Tests";

    private readonly TestDatabase _database;

    private ServerHost(TestDatabase database, int port)
    {
        _database = database;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public TestDatabase Database => _database;

    /// <summary>Starts a server on <paramref name="port"/> (a free one when not given) and waits until it is ready.</summary>
    public static async Task<ServerHost> StartAsync(TestDatabase database, int? port = null)
    {
        var host = new ServerHost(database, port ?? FreePort());
        host.UseKestrel(o => o.Listen(IPAddress.Loopback, host.Port));
        // Migrations and bootstrap run here; StartServer is synchronous.
        await Task.Run(host.StartServer);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the server to be ready");
        return host;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _database.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Omnichat:Roles", "web,channels,worker");
        builder.UseSetting("Omnichat:Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Omnichat:Outbox:PollInterval", "00:00:00.200");
        builder.UseSetting("Omnichat:ClientSessions:PerAddressPerMinute", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseEnvironment("Testing");
    }

    /// <summary>An API client signed in as the bootstrap administrator (a supervisor: may write in any conversation).</summary>
    public Task<HttpClient> AdminAsync() => SignedInAsync("admin", AdminPassword);

    public async Task<HttpClient> SignedInAsync(string login, string password)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        var response = await http.PostAsJsonAsync("api/v1/auth/token", new { login, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

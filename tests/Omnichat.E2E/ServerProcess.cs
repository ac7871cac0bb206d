using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Omnichat.E2E;

/// <summary>The built Omnichat.Server as a real process on a free loopback port (SQLite, demo data).</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "E2e-Admin-Passw0rd";
    private readonly Process _process;
    private readonly string _dataPath;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string dataPath, Uri baseAddress)
    {
        _process = process;
        _dataPath = dataPath;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync()
    {
        var port = FreePort();
        var dataPath = Path.Combine(Path.GetTempPath(), $"omnichat-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataPath);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Omnichat.Server.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Omnichat__DataPath"] = dataPath;
        start.Environment["Omnichat__Demo__Enabled"] = "true";
        start.Environment["Omnichat__Bootstrap__AdminPassword"] = AdminPassword;
        start.Environment["Omnichat__Outbox__PollInterval"] = "00:00:00.200";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ServerProcess(process, dataPath, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(180); // generous: a loaded CI machine starts slowly
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The server exited during start-up:\n" + server.Output);
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow start
            }

            await Task.Delay(250);
        }

        await server.DisposeAsync();
        throw new TimeoutException("The server did not become ready:\n" + server.Output);
    }

    /// <summary>An API client signed in as the administrator.</summary>
    public Task<HttpClient> AdminAsync() => SignedInAsync("admin", AdminPassword);

    /// <summary>An API client signed in as the given staff member.</summary>
    public async Task<HttpClient> SignedInAsync(string login, string password)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { login, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

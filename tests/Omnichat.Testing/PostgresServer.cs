using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Omnichat.Testing;

/// <summary>
/// A throwaway PostgreSQL server for the test run: initdb + pg_ctl from the machine's binaries into a
/// temp folder, on a free loopback port; stopped and removed at the end. Locally, missing binaries skip
/// the PostgreSQL tests with a loud reason; under CI (CI=true) they fail the run.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private readonly string _folder;
    private readonly string _binDir;
    private readonly bool _asPostgresUser;

    private PostgresServer(string folder, string binDir, int port, bool asPostgresUser)
    {
        _folder = folder;
        _binDir = binDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>Set when no server could be started; tests skip (locally) or fail (CI) with it.</summary>
    public static string? UnavailableReason { get; private set; }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The one server of this test process, started on first use and stopped at process exit.</summary>
    public static async Task<PostgresServer?> GetAsync()
    {
        try
        {
            return await Shared.Value;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            UnavailableReason = ex.Message;
            if (InCi)
            {
                throw new InvalidOperationException($"PostgreSQL is required under CI but could not be started: {ex.Message}", ex);
            }

            return null;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    /// <summary>A new database (a copy of <paramref name="template"/> when given); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, string? template = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
        // Copies of one template are made one at a time (PostgreSQL refuses a template that is being read).
        await CreateGate.WaitAsync();
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            CreateGate.Release();
        }

        // Each test database has its own connection pool, which outlives the test's server: idle
        // connections are closed after a few seconds so finished tests do not hold the server's slots.
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Include Error Detail=true;Connection Idle Lifetime=5;Connection Pruning Interval=1";
    }

    private static readonly SemaphoreSlim CreateGate = new(1, 1);

    private static async Task<PostgresServer> StartAsync()
    {
        var binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. Install the 'postgresql' package (scripts/test.sh does this as root).");
        var asPostgresUser = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), $"omnichat-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var server = new PostgresServer(folder, binDir, port, asPostgresUser);
        if (asPostgresUser)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["-R", "postgres:postgres", folder], asUser: false);
        }

        await server.RunToolAsync("initdb", ["-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await server.RunToolAsync("pg_ctl", [
            "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000",
            "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    public ValueTask DisposeAsync() => StopAsync();

    private async ValueTask StopAsync()
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        try
        {
            await RunToolAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task RunToolAsync(string tool, string[] args) => RunAsync(Path.Combine(_binDir, tool), args, _asPostgresUser);

    private static async Task RunAsync(string file, string[] args, bool asUser)
    {
        var start = new ProcessStartInfo(asUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }

    private static string? FindBinDir() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Hosting;

/// <summary>`Omnichat.Server migrate` applies migrations and exits, for production deployments.</summary>
public sealed class MigrateCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_CreatesTheSchemaAndExitsZero()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrated: false);
        var (exitCode, output) = await RunServerAsync(database, "migrate");

        Assert.True(exitCode == 0, output);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM \"__EFMigrationsHistory\"; ";
        Assert.True((long)(await command.ExecuteScalarAsync(Ct))! >= 1);
        command.CommandText = "SELECT count(*) FROM \"AspNetUsers\"";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!); // migrate does not bootstrap accounts
    }

    [Fact]
    public async Task Migrate_WithPostgresButNoConnectionString_FailsWithAClearMessage()
    {
        var database = new TestDatabase(DatabaseProvider.Postgres, "", Path.GetTempPath());
        var (exitCode, output) = await RunServerAsync(database, "migrate");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings:Omnichat is not set", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunServerAsync(TestDatabase database, string command)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Omnichat.Server.dll"));
        start.ArgumentList.Add(command);
        start.Environment["Omnichat__Database__Provider"] = database.Provider.ToString();
        start.Environment["ConnectionStrings__Omnichat"] = database.ConnectionString;
        start.Environment["Omnichat__DataPath"] = database.DataPath;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

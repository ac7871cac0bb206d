using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Omnichat.Core.Kernel;
using Xunit;

namespace Omnichat.Testing;

/// <summary>A fresh, empty database on one provider, for one test class or test.</summary>
public sealed class TestDatabase(DatabaseProvider provider, string connectionString, string dataPath)
{
    public DatabaseProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    /// <summary>A temp folder for the node's data (files, SQLite).</summary>
    public string DataPath { get; } = dataPath;

    /// <summary>Configuration keys that point a node at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omnichat:Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Omnichat"] = ConnectionString,
        ["Omnichat:DataPath"] = DataPath,
    };

    /// <summary>
    /// A fresh database for one test. <paramref name="migrated"/> (the default): a copy of a database the
    /// migrations were applied to once per test run — a file copy on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on
    /// PostgreSQL — so the server's own migration at start-up finds nothing to do; <c>false</c>: empty.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrated = true)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"omnichat-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataPath);
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(dataPath, "omnichat.db");
            if (migrated)
            {
                File.Copy(await MigratedTemplates.SqliteFileAsync(), file);
            }

            return new TestDatabase(provider, SqliteConnectionString(file), dataPath);
        }

        var server = await PostgresServer.GetAsync();
        if (server is null)
        {
            Assert.Skip($"PostgreSQL tests skipped: {PostgresServer.UnavailableReason} (under CI=true this fails the run instead).");
        }

        var template = migrated ? await MigratedTemplates.PostgresDatabaseAsync(server) : null;
        return new TestDatabase(provider, await server.CreateDatabaseAsync("omnichat", template), dataPath);
    }

    internal static string SqliteConnectionString(string file) => new SqliteConnectionStringBuilder
    {
        DataSource = file,
        ForeignKeys = true,
        DefaultTimeout = 30,
    }.ToString();
}

/// <summary>Databases with every migration applied, made once per test run and copied for each test.</summary>
internal static class MigratedTemplates
{
    private static readonly Lazy<Task<string>> Sqlite = new(CreateSqliteAsync);
    private static Task<string>? _postgres;
    private static readonly Lock Gate = new();

    public static Task<string> SqliteFileAsync() => Sqlite.Value;

    public static Task<string> PostgresDatabaseAsync(PostgresServer server)
    {
        lock (Gate)
        {
            return _postgres ??= CreatePostgresAsync(server);
        }
    }

    private static async Task<string> CreateSqliteAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"omnichat-template-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "omnichat.db");
        await MigrateAsync(DatabaseProvider.Sqlite, TestDatabase.SqliteConnectionString(file));
        SqliteConnection.ClearAllPools(); // the last connection closes: the write-ahead log is folded into the file
        return file;
    }

    private static async Task<string> CreatePostgresAsync(PostgresServer server)
    {
        var connectionString = await server.CreateDatabaseAsync("template");
        await MigrateAsync(DatabaseProvider.Postgres, connectionString);
        NpgsqlConnection.ClearAllPools(); // a template must have no sessions
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    private static async Task MigrateAsync(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<OmnichatDbContext>();
        DatabaseRegistration.Configure(options, provider, connectionString);
        await using var db = new OmnichatDbContext(options.Options);
        await db.Database.MigrateAsync();
    }
}

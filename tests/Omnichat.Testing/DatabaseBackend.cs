using Microsoft.Data.Sqlite;
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

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"omnichat-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataPath);
        if (provider == DatabaseProvider.Sqlite)
        {
            var cs = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataPath, "omnichat.db"),
                ForeignKeys = true,
                DefaultTimeout = 30,
            }.ToString();
            return new TestDatabase(provider, cs, dataPath);
        }

        var server = await PostgresServer.GetAsync();
        if (server is null)
        {
            Assert.Skip($"PostgreSQL tests skipped: {PostgresServer.UnavailableReason} (under CI=true this fails the run instead).");
        }

        return new TestDatabase(provider, await server.CreateDatabaseAsync("omnichat"), dataPath);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Omnichat.Core.Kernel;

/// <summary>
/// Lets concurrent SQLite writers queue inside SQLite (its busy handler waits a few milliseconds at a
/// time) instead of failing fast into Microsoft.Data.Sqlite's own retry loop, which sleeps 150 ms per
/// attempt — the difference between ~10 ms and ~300 ms latency under a burst of messages. The database
/// runs in write-ahead-log mode — stored in the file, so it is set once per database file and process
/// (every host — server, tools, tests — gets it): readers never block the writer, and a commit is one
/// append and one fsync of the log (synchronous FULL, per connection, so a committed transaction
/// survives a power cut).
/// </summary>
public sealed class SqliteTuning : DbConnectionInterceptor
{
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;";
    private const string FilePragmas = "PRAGMA journal_mode = WAL;";
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> WalSet = new(StringComparer.Ordinal);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        RegisterFunctions(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RegisterFunctions(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Unicode case folding for searches (<see cref="TextSearch"/>).</summary>
    private static void RegisterFunctions(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            sqlite.CreateFunction(TextSearch.SqliteFunction, (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        }
    }

    private static string Pragmas(DbConnection connection) =>
        WalSet.TryAdd(connection.ConnectionString, true) ? ConnectionPragmas + " " + FilePragmas : ConnectionPragmas;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Omnichat.Core.Kernel;

/// <summary>
/// Reads that stream a result of any size (exports). EF buffers a whole result in memory whenever the execution strategy
/// may retry the query — PostgreSQL's does — so such reads run as one operation of the strategy with retrying switched
/// off for them: the rows stream at constant memory, and a failure ends the read instead of running it again (its rows
/// are already written out).
/// </summary>
public static class StreamingRead
{
    private static readonly AsyncLocal<bool> Flag = new();

    /// <summary>Inside a streaming read (this async flow only).</summary>
    public static bool Active => Flag.Value;

    public static async Task RunAsync(OmnichatDbContext db, Func<CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        // Set inside this async method: the flag flows into the read and is gone for the caller afterwards.
        Flag.Value = true;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(read, cancellationToken);
    }
}

/// <summary>PostgreSQL's retrying strategy (three retries on transient errors), except inside a <see cref="StreamingRead"/>.</summary>
public sealed class OmnichatPostgresExecutionStrategy(ExecutionStrategyDependencies dependencies) : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries)
{
    public const int MaxRetries = 3;

    public override bool RetriesOnFailure => !StreamingRead.Active && base.RetriesOnFailure;

    protected override bool ShouldRetryOn(Exception? exception) => !StreamingRead.Active && base.ShouldRetryOn(exception);
}

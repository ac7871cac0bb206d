using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Server.Hosting;

public static partial class DatabaseStartup
{
    /// <summary>Start-up: migrations (unless disabled), then the first administrator and demo data.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OmnichatOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        if (options.Database.MigrateOnStart)
        {
            await MigrateAsync(db, app.Logger, app.Lifetime.ApplicationStopping);
        }

        await scope.ServiceProvider.GetRequiredService<BootstrapAdministrator>().RunAsync(app.Lifetime.ApplicationStopping);
        await scope.ServiceProvider.GetRequiredService<DemoData>().RunAsync(app.Lifetime.ApplicationStopping);
    }

    /// <summary>The <c>migrate</c> command: applies migrations and exits (for production deployments).</summary>
    public static async Task<int> MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        try
        {
            await MigrateAsync(db, app.Logger, CancellationToken.None);
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMigrationFailed(app.Logger, ex);
            return 1;
        }
    }

    /// <summary>The <c>rebuild-reports FROM TO</c> command.</summary>
    public static async Task<int> RebuildReportsAsync(this WebApplication app, string[] args)
    {
        var zone = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OmnichatOptions>>().Value.Reports.Zone;
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            var (from, to) = Core.Reporting.ReportQuery.Period(args.ElementAtOrDefault(1) ?? throw new FieldValidationException("from", "Usage: rebuild-reports FROM TO"),
                args.ElementAtOrDefault(2), null, zone, TimeProvider.System.GetUtcNow());
            var result = await scope.ServiceProvider.GetRequiredService<Core.Reporting.RebuildReports>().HandleAsync(from, to, app.Lifetime.ApplicationStopping);
            LogRebuilt(app.Logger, result.Conversations, result.Intervals, result.From, result.To);
            return 0;
        }
        catch (FieldValidationException ex)
        {
            LogRebuildRefused(app.Logger, ex.Field, ex.Message);
            return 2;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reports rebuilt: {Conversations} conversations, {Intervals} interval rows, {From} – {To}")]
    private static partial void LogRebuilt(ILogger logger, long conversations, long intervals, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Error, Message = "rebuild-reports: {Field}: {Message}")]
    private static partial void LogRebuildRefused(ILogger logger, string field, string message);

    private static async Task MigrateAsync(OmnichatDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        // SQLite's WAL mode and durability are set on every connection (Core's SqliteTuning).
        // EF Core takes a database lock while migrating, so several nodes starting at once are safe.
        await db.Database.MigrateAsync(cancellationToken);
        LogMigrated(logger, pending.Count, db.Database.ProviderName ?? "?");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Count} migration(s) applied on {Provider}")]
    private static partial void LogMigrated(ILogger logger, int count, string provider);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Migration failed")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception);
}

public static class OmnichatCommands
{
    public static bool IsMigrate(string[] args) => args.Length > 0 && args[0] == "migrate";

    /// <summary><c>rebuild-reports FROM TO</c> (ISO 8601 dates or date-times): recomputes the report data of the period and exits.</summary>
    public static bool IsRebuildReports(string[] args) => args.Length > 0 && args[0] == "rebuild-reports";
}

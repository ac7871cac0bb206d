using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Kernel;

public static class DatabaseRegistration
{
    public const string SqliteMigrationsAssembly = "Omnichat.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Omnichat.Migrations.Postgres";

    private static readonly SqliteTuning SqliteTuningInstance = new();

    /// <summary>Registers <see cref="OmnichatDbContext"/> on the configured provider, with the outbox interceptor.</summary>
    public static IServiceCollection AddOmnichatDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OmnichatOptions.Section).Get<OmnichatOptions>() ?? new OmnichatOptions();
        var connectionString = ResolveConnectionString(options, configuration.GetConnectionString("Omnichat"));

        services.AddScoped<OutboxSaveChangesInterceptor>();
        services.AddSingleton<Audit.AdminChangeAudit>();
        services.AddDbContext<OmnichatDbContext>((sp, db) =>
        {
            Configure(db, options.Database.Provider, connectionString);
            db.AddInterceptors(sp.GetRequiredService<Audit.AdminChangeAudit>(), sp.GetRequiredService<OutboxSaveChangesInterceptor>());
        });
        return services;
    }

    public static void Configure(DbContextOptionsBuilder db, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                db.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly))
                    .AddInterceptors(SqliteTuningInstance);
                break;
            case DatabaseProvider.Postgres:
                db.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly)
                    .ExecutionStrategy(d => new OmnichatPostgresExecutionStrategy(d)));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{provider}'.");
        }
    }

    public static string ResolveConnectionString(OmnichatOptions options, string? configured)
    {
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            return string.IsNullOrWhiteSpace(configured)
                ? throw new InvalidOperationException("Omnichat:Database:Provider is Postgres, but ConnectionStrings:Omnichat is not set.")
                : configured;
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var folder = Path.GetFullPath(options.DataPath);
        Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "omnichat.db"),
            ForeignKeys = true,
            // Writers wait for each other instead of failing with "database is locked".
            DefaultTimeout = 30,
        }.ToString();
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Health;

public static class HealthSetup
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddOmnichatHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<OmnichatDbContext>("database", tags: [ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag])
            .AddCheck<MessengersHealthCheck>("messengers", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>/health/live: the process answers. /health/ready: database reachable and migrated (JSON details).</summary>
    public static WebApplication MapOmnichatHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteDetailsAsync,
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteDetailsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, JsonSerializerOptions.Web, context.RequestAborted);
    }
}

/// <summary>Unhealthy while migrations are pending (for example a node started before `migrate` ran).</summary>
public sealed class MigrationsHealthCheck(OmnichatDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("All migrations applied.")
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: {string.Join(", ", pending)}.");
    }
}

/// <summary>
/// Messenger adapters on this node: per channel the last event received, the last successful send, the last error
/// and the error rate of the recent sends. Degraded (not unhealthy: the node still serves) when a channel's recent
/// sends mostly fail.
/// </summary>
public sealed class MessengersHealthCheck(Omnichat.Core.Channels.Messengers.MessengerHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var channels = health.Snapshots();
        var data = channels.ToDictionary(c => c.Key.ToString(), c => (object)c.Value);
        var failing = channels.Where(c => c.Value is { RecentSends: >= 3, ErrorRate: >= 0.5 }).Select(c => c.Key).ToList();
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy($"{channels.Count} messenger channel(s) active on this node.", data)
            : HealthCheckResult.Degraded($"Sends are failing on {failing.Count} channel(s): {string.Join(", ", failing)}.", data: data));
    }
}

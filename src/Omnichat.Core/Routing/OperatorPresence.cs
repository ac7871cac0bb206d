using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>
/// Live workstation connections of this node (staff hub connections and Blazor circuits). The
/// heartbeat writes "last seen" for connected operators; the routing timers set a ready operator
/// not-ready when nobody has seen them for the grace period — which also covers a crashed node.
/// </summary>
public sealed class OperatorPresence : IDisposable
{
    private readonly ConnectionCounter<OperatorId> _connections = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    public void Connected(OperatorId id)
    {
        _connections.Connected(id);
        _changed.Release(); // the heartbeat records the new connection at once
    }

    public void Disconnected(OperatorId id) => _connections.Disconnected(id);

    public bool IsConnected(OperatorId id) => _connections.IsConnected(id);

    public IReadOnlyList<OperatorId> ConnectedOperators => _connections.Connected();

    public void Dispose() => _changed.Dispose();

    internal Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);
}

/// <summary>Writes "last seen" for this node's connected operators at once on connect and then every heartbeat interval.</summary>
public sealed partial class PresenceHeartbeatService(
    OperatorPresence presence, IServiceScopeFactory scopes, TimeProvider time, IOptions<OmnichatOptions> options, ILogger<PresenceHeartbeatService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ids = presence.ConnectedOperators;
                if (ids.Count > 0)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
                    DateTimeOffset? now = time.GetUtcNow();
                    await db.Operators.Where(o => ids.Contains(o.Id)).ExecuteUpdateAsync(s => s.SetProperty(o => o.LastSeenAt, now), stoppingToken);
                }

                await presence.WaitForChangeAsync(options.Value.Routing.PresenceHeartbeat, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogHeartbeatFailed(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence heartbeat failed; retrying")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}

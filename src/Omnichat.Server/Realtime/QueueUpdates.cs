using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Core.Operators;
using Omnichat.Core.Routing;

namespace Omnichat.Server.Realtime;

/// <summary>
/// Pushes queue position and expected wait (<c>queue</c> event) to waiting clients. Queue changes mark
/// their group; at most once per interval each marked group is recomputed in one query and every
/// waiting client of it is told — so a busy queue costs one update per second, not one per event.
/// </summary>
public sealed partial class QueueUpdates(
    IServiceScopeFactory scopes, IHubContext<ClientHub> clients, TimeProvider time, IOptions<OmnichatOptions> options, ILogger<QueueUpdates> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<SkillGroupId, byte> _dirty = new();

    public void Mark(SkillGroupId group) => _dirty.TryAdd(group, 0);

    /// <summary>Recomputes and pushes the marked groups now (the loop calls this every interval).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var group in _dirty.Keys)
        {
            _dirty.TryRemove(group, out _);
            await using var scope = scopes.CreateAsyncScope();
            var positions = await scope.ServiceProvider.GetRequiredService<QueuePositions>().ForGroupAsync(group, cancellationToken);
            foreach (var entry in positions)
            {
                await clients.Clients.Group(ClientHub.GroupOf(entry.ClientId))
                    .SendAsync("queue", new QueueEvent(entry.ConversationId.Value, entry.Position, entry.ExpectedWaitSeconds), cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Routing.QueueUpdateInterval, time, stoppingToken);
                await FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing queue positions failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    /// <summary>Marks the groups whose queue order or staffing changed.</summary>
    public sealed class Listener(QueueUpdates updates, OmnichatDbContext db)
        : IDomainEventListener<ConversationQueued>, IDomainEventListener<ConversationAssigned>, IDomainEventListener<ConversationClosed>,
          IDomainEventListener<ConversationOffered>, IDomainEventListener<OperatorStatusChanged>
    {
        public Task HandleAsync(EventEnvelope envelope, ConversationQueued domainEvent, CancellationToken cancellationToken) => Mark(domainEvent.SkillGroupId);

        public Task HandleAsync(EventEnvelope envelope, ConversationAssigned domainEvent, CancellationToken cancellationToken) => Mark(domainEvent.SkillGroupId);

        public Task HandleAsync(EventEnvelope envelope, ConversationClosed domainEvent, CancellationToken cancellationToken) => Mark(domainEvent.SkillGroupId);

        public Task HandleAsync(EventEnvelope envelope, ConversationOffered domainEvent, CancellationToken cancellationToken) => Mark(domainEvent.SkillGroupId);

        public async Task HandleAsync(EventEnvelope envelope, OperatorStatusChanged domainEvent, CancellationToken cancellationToken)
        {
            // Ready capacity changes the expected wait of every group the operator serves.
            foreach (var group in await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == domainEvent.OperatorId).Select(m => m.SkillGroupId).ToListAsync(cancellationToken))
            {
                updates.Mark(group);
            }
        }

        private Task Mark(SkillGroupId? group)
        {
            if (group is { } g)
            {
                updates.Mark(g);
            }

            return Task.CompletedTask;
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>A new conversation enters the queue of the group its routing rules (or its channel) select.</summary>
public sealed partial class QueueNewConversation(OmnichatDbContext db, SelectSkillGroup select, TimeProvider time, ILogger<QueueNewConversation> logger)
    : IDomainEventListener<ConversationOpened>
{
    public async Task HandleAsync(EventEnvelope envelope, ConversationOpened domainEvent, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == domainEvent.ConversationId, cancellationToken);
        if (conversation is not { Status: ConversationStatus.New })
        {
            return; // redelivery, or already moved on
        }

        if (await select.ForAsync(conversation, cancellationToken) is not { } target)
        {
            LogNoGroup(logger, conversation.Id, conversation.ChannelId);
            return;
        }

        var now = time.GetUtcNow();
        conversation.Enqueue(target.Group, target.Priority, Actor.System, now, await PreferredOperatorAsync(conversation, target.Group, now, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    // A returning client goes back to the operator of their last conversation, within the group's window.
    private async Task<OperatorId?> PreferredOperatorAsync(Conversation conversation, SkillGroupId group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var minutes = await db.SkillGroups.Where(g => g.Id == group).Select(g => g.StickyMinutes).FirstOrDefaultAsync(cancellationToken);
        if (minutes <= 0)
        {
            return null;
        }

        var since = now.AddMinutes(-minutes);
        return await db.Conversations.AsNoTracking()
            .Where(c => c.ClientId == conversation.ClientId && c.Id != conversation.Id && c.OperatorId != null && c.ClosedAt != null && c.ClosedAt >= since)
            .OrderByDescending(c => c.ClosedAt)
            .Select(c => c.OperatorId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} stays unrouted: no routing rule matches and no skill group is connected to channel {ChannelId}")]
    private static partial void LogNoGroup(ILogger logger, ConversationId conversationId, ChannelId channelId);
}

/// <summary>Whenever work or capacity appears, the queues it concerns are routed at once.</summary>
public sealed class RouteWhenWorkOrCapacityAppears(OmnichatDbContext db, RoutingEngine engine)
    : IDomainEventListener<ConversationQueued>, IDomainEventListener<ConversationOverflowed>, IDomainEventListener<ConversationOfferMissed>,
      IDomainEventListener<OperatorStatusChanged>, IDomainEventListener<OperatorCapacityFreed>, IDomainEventListener<OperatorCapacityChanged>
{
    public async Task HandleAsync(EventEnvelope envelope, ConversationQueued domainEvent, CancellationToken cancellationToken) =>
        await engine.RouteAsync([domainEvent.SkillGroupId], cancellationToken);

    public async Task HandleAsync(EventEnvelope envelope, ConversationOverflowed domainEvent, CancellationToken cancellationToken) =>
        await engine.RouteAsync([domainEvent.SkillGroupId], cancellationToken);

    public async Task HandleAsync(EventEnvelope envelope, ConversationOfferMissed domainEvent, CancellationToken cancellationToken)
    {
        if (domainEvent.SkillGroupId is { } group)
        {
            await engine.RouteAsync([group], cancellationToken);
        }
    }

    public async Task HandleAsync(EventEnvelope envelope, OperatorStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        if (domainEvent.Status == OperatorStatus.Ready)
        {
            await engine.RouteAsync(await GroupsOfAsync(domainEvent.OperatorId, cancellationToken), cancellationToken);
        }
    }

    public async Task HandleAsync(EventEnvelope envelope, OperatorCapacityFreed domainEvent, CancellationToken cancellationToken) =>
        await engine.RouteAsync(await GroupsOfAsync(domainEvent.OperatorId, cancellationToken), cancellationToken);

    public async Task HandleAsync(EventEnvelope envelope, OperatorCapacityChanged domainEvent, CancellationToken cancellationToken) =>
        await engine.RouteAsync(await GroupsOfAsync(domainEvent.OperatorId, cancellationToken), cancellationToken);

    private async Task<List<SkillGroupId>> GroupsOfAsync(OperatorId id, CancellationToken cancellationToken) =>
        await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == id).Select(m => m.SkillGroupId).ToListAsync(cancellationToken);
}

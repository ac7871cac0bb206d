using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>A new conversation enters the queue of the skill group connected to its channel.</summary>
public sealed partial class QueueNewConversation(OmnichatDbContext db, TimeProvider time, ILogger<QueueNewConversation> logger)
    : IDomainEventListener<ConversationOpened>
{
    public async Task HandleAsync(EventEnvelope envelope, ConversationOpened domainEvent, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == domainEvent.ConversationId, cancellationToken);
        if (conversation is not { Status: ConversationStatus.New })
        {
            return; // redelivery, or already moved on
        }

        var group = await db.SkillGroups
            .Where(g => g.Channels.Any(c => c.ChannelId == conversation.ChannelId))
            .OrderBy(g => g.Name).Select(g => (SkillGroupId?)g.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (group is null)
        {
            LogNoGroup(logger, conversation.Id, conversation.ChannelId);
            return;
        }

        conversation.Enqueue(group.Value, priority: 0, Actor.System, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} stays unrouted: no skill group is connected to channel {ChannelId}")]
    private static partial void LogNoGroup(ILogger logger, ConversationId conversationId, ChannelId channelId);
}

/// <summary>Whenever work or capacity appears, queued conversations are offered to ready operators.</summary>
public sealed class AssignWhenCapacityAppears(OmnichatDbContext db, AssignQueuedConversations assign)
    : IDomainEventListener<ConversationQueued>, IDomainEventListener<OperatorStatusChanged>, IDomainEventListener<ConversationClosed>
{
    public Task HandleAsync(EventEnvelope envelope, ConversationQueued domainEvent, CancellationToken cancellationToken) =>
        assign.ForGroupsAsync([domainEvent.SkillGroupId], cancellationToken);

    public async Task HandleAsync(EventEnvelope envelope, OperatorStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        if (domainEvent.Status == OperatorStatus.Ready)
        {
            await assign.ForGroupsAsync(await GroupsOfAsync(domainEvent.OperatorId, cancellationToken), cancellationToken);
        }
    }

    public async Task HandleAsync(EventEnvelope envelope, ConversationClosed domainEvent, CancellationToken cancellationToken)
    {
        var operatorId = await db.Conversations.Where(c => c.Id == domainEvent.ConversationId).Select(c => c.OperatorId).FirstOrDefaultAsync(cancellationToken);
        if (operatorId is { } op)
        {
            await assign.ForGroupsAsync(await GroupsOfAsync(op, cancellationToken), cancellationToken);
        }
    }

    private async Task<List<SkillGroupId>> GroupsOfAsync(OperatorId id, CancellationToken cancellationToken) =>
        await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == id).Select(m => m.SkillGroupId).ToListAsync(cancellationToken);
}

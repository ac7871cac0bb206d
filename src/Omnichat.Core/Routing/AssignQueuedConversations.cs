using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>
/// Routing v1 (simple least-busy): hands a group's queued conversations, highest priority and longest
/// waiting first, to ready operators of the group below capacity — fewest active first, ties to the one
/// ready the longest. Runs inside the event dispatcher, one event at a time, so assignments on one
/// node never race; the full routing engine replaces this with atomic database assignment.
/// </summary>
public sealed partial class AssignQueuedConversations(OmnichatDbContext db, TimeProvider time, ILogger<AssignQueuedConversations> logger)
{
    public async Task<int> ForGroupsAsync(IReadOnlyCollection<SkillGroupId> groups, CancellationToken cancellationToken)
    {
        var assigned = 0;
        foreach (var group in groups.Distinct())
        {
            assigned += await ForGroupAsync(group, cancellationToken);
        }

        return assigned;
    }

    private async Task<int> ForGroupAsync(SkillGroupId skillGroup, CancellationToken cancellationToken)
    {
        var assigned = 0;
        while (true)
        {
            var next = await db.Conversations
                .Where(c => c.Status == ConversationStatus.Queued && c.SkillGroupId == skillGroup)
                .OrderByDescending(c => c.Priority).ThenBy(c => c.QueuedAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (next is null)
            {
                return assigned;
            }

            var candidate = await (
                    from o in db.Operators
                    where o.Enabled && o.Status == OperatorStatus.Ready && o.SkillGroups.Any(m => m.SkillGroupId == skillGroup)
                    let active = db.Conversations.Count(c => c.OperatorId == o.Id && c.Status == ConversationStatus.Assigned)
                    where active < o.Capacity
                    orderby active, o.StatusSince
                    select o.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate == default)
            {
                return assigned;
            }

            next.Assign(candidate, Actor.System, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            LogAssigned(logger, next.Id, candidate);
            assigned++;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} assigned to operator {OperatorId}")]
    private static partial void LogAssigned(ILogger logger, ConversationId conversationId, OperatorId operatorId);
}

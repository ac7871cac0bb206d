using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>An operator takes a waiting conversation from the queue of a manual-pick group they belong to (capacity respected).</summary>
public static class PickConversation
{
    public sealed class Handler(OmnichatDbContext db, GetConversation.Handler get, TimeProvider time)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
        {
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), ct)
                                   ?? throw new NotFoundException("Conversation", id);
                if (conversation.Status != ConversationStatus.Queued || conversation.SkillGroupId is not { } group)
                {
                    throw new ConflictException("The conversation is no longer waiting in a queue.", "conversationId");
                }

                var strategy = await db.SkillGroups.Where(g => g.Id == group).Select(g => g.Strategy).FirstAsync(ct);
                if (strategy != RoutingStrategy.Manual)
                {
                    throw new ConflictException("This group routes automatically; conversations cannot be picked from its queue.", "conversationId");
                }

                if (!await db.Set<OperatorSkillGroup>().AnyAsync(m => m.OperatorId == scope.OperatorId && m.SkillGroupId == group, ct))
                {
                    throw new ConflictException("You are not a member of this conversation's skill group.", "conversationId");
                }

                var now = time.GetUtcNow();
                var op = await OperatorCapacity.ReserveAsync(db, scope.OperatorId, now, force: false, "conversationId", ct);
                if (op.Status != OperatorStatus.Ready)
                {
                    throw new ConflictException("Set yourself ready before taking conversations.", "status");
                }

                conversation.Assign(op.Id, Actor.ForOperator(op.Id), now);
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            return await get.HandleAsync(scope, id, cancellationToken);
        }
    }
}

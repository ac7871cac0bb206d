using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>The offered operator declines; the conversation goes to the next operator (counted as a missed offer).</summary>
public static class DeclineOffer
{
    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
        {
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), ct);
                if (conversation is null || (conversation.OfferedOperatorId != scope.OperatorId
                                             && !await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversation.Id, ct)))
                {
                    throw new NotFoundException("Conversation", id);
                }

                if (conversation.OfferedOperatorId != scope.OperatorId)
                {
                    throw new ConflictException("There is no offer of this conversation for you.", "conversationId");
                }

                var now = time.GetUtcNow();
                var released = conversation.MissOffer(declined: true, now);
                await OperatorCapacity.ReleaseAsync(db, released, null, startWrapUp: false, now, ct);
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
        }
    }
}

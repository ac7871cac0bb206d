using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>The offered operator accepts the conversation before the offer expires (the slot was reserved with the offer).</summary>
public static class AcceptOffer
{
    public sealed class Handler(OmnichatDbContext db, GetConversation.Handler get, TimeProvider time)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
        {
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), ct);
                if (conversation is null || (conversation.OfferedOperatorId != scope.OperatorId
                                             && !await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversation.Id, ct)))
                {
                    throw new NotFoundException("Conversation", id);
                }

                conversation.AcceptOffer(scope.OperatorId, time.GetUtcNow());
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            return await get.HandleAsync(scope, id, cancellationToken);
        }
    }
}

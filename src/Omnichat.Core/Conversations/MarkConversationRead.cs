using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>The assigned operator has seen the conversation up to a sequence number (clears unread).</summary>
public static class MarkConversationRead
{
    public sealed record Request(long Seq);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task HandleAsync(StaffScope scope, Guid id, long seq, CancellationToken cancellationToken)
        {
            var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), cancellationToken)
                ?? throw new NotFoundException("Conversation", id);
            if (conversation.OperatorId != scope.OperatorId)
            {
                return; // only the assigned operator's reading counts
            }

            conversation.MarkReadByOperator(seq);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A new message arrived meanwhile; the next read mark covers it.
            }
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>One conversation and its messages (including notes) for staff who may see it.</summary>
public static class GetConversation
{
    public sealed record MessagesResponse(IReadOnlyList<MessageView> Messages, bool HasMore);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken) =>
            await ListConversations.Project(db, scope.Visible(db.Conversations.AsNoTracking()).Where(c => c.Id == ConversationId.From(id)))
                .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Conversation", id);

        public async Task<MessagesResponse> MessagesAsync(StaffScope scope, Guid id, long afterSeq, int? limit, CancellationToken cancellationToken)
        {
            MessagePage.Validate(afterSeq, limit);
            var conversationId = ConversationId.From(id);
            if (!await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversationId, cancellationToken))
            {
                throw new NotFoundException("Conversation", id);
            }

            var (messages, hasMore) = await MessagePage.LoadAsync(db, conversationId, afterSeq, limit, includeNotes: true, cancellationToken);
            return new MessagesResponse(messages, hasMore);
        }
    }
}

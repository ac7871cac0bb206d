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
            if (afterSeq < 0)
            {
                throw new FieldValidationException("afterSeq", "'afterSeq' must be zero or more.");
            }

            if (limit is < 1 or > ListClientMessages.MaxLimit)
            {
                throw new FieldValidationException("limit", $"'limit' must be between 1 and {ListClientMessages.MaxLimit}.");
            }

            var conversationId = ConversationId.From(id);
            if (!await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversationId, cancellationToken))
            {
                throw new NotFoundException("Conversation", id);
            }

            var take = limit ?? ListClientMessages.DefaultLimit;
            var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments)
                .Where(m => m.ConversationId == conversationId && m.Seq > afterSeq)
                .OrderBy(m => m.Seq).Take(take + 1).ToListAsync(cancellationToken);
            var names = await AuthorNames.ForAsync(db, messages, cancellationToken);
            return new MessagesResponse(messages.Take(take).Select(m => MessageView.From(m, names.NameOf(m))).ToList(), messages.Count > take);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Conversations;

/// <summary>One conversation and its messages (including notes) for staff who may see it.</summary>
public static class GetConversation
{
    public sealed record MessagesResponse(IReadOnlyList<MessageView> Messages, bool HasMore);

    public sealed class Handler(OmnichatDbContext db, QueuePositions positions)
    {
        /// <summary>The conversation with, while it waits, its queue position and expected wait.</summary>
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
        {
            var view = await ListConversations.Project(db, scope.Visible(db.Conversations.AsNoTracking()).Where(c => c.Id == ConversationId.From(id)))
                           .FirstOrDefaultAsync(cancellationToken)
                       ?? throw new NotFoundException("Conversation", id);
            if (view.Status == ConversationStatus.Queued && await positions.ForAsync(ConversationId.From(id), cancellationToken) is { } p)
            {
                view = view with { QueuePosition = p.Position, ExpectedWaitSeconds = p.ExpectedWaitSeconds };
            }

            return view;
        }

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

        /// <summary>The newest messages before <paramref name="beforeSeq"/> (the latest when null), oldest first; <c>HasMore</c>: earlier ones exist.</summary>
        public async Task<MessagesResponse> LatestMessagesAsync(StaffScope scope, Guid id, long? beforeSeq, int? limit, CancellationToken cancellationToken)
        {
            MessagePage.Validate(0, limit);
            if (beforeSeq is < 1)
            {
                throw new FieldValidationException("beforeSeq", "'beforeSeq' must be 1 or more.");
            }

            var conversationId = ConversationId.From(id);
            if (!await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversationId, cancellationToken))
            {
                throw new NotFoundException("Conversation", id);
            }

            var (messages, hasMore) = await MessagePage.LoadLatestAsync(db, conversationId, beforeSeq, limit, includeNotes: true, cancellationToken);
            return new MessagesResponse(messages, hasMore);
        }
    }
}

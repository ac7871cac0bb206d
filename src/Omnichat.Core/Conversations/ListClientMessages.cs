using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>
/// The client's current conversation in the channel (the open one, else the latest) and its messages
/// after a sequence number — how clients resume after a disconnect. Staff notes are never included.
/// </summary>
public static class ListClientMessages
{
    public sealed record Response(IReadOnlyList<MessageView> Messages, ClientConversationView? Conversation, bool HasMore);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<Response> HandleAsync(ClientPrincipal client, long afterSeq, int? limit, Guid? conversationId, CancellationToken cancellationToken)
        {
            MessagePage.Validate(afterSeq, limit);

            var mine = db.Conversations.AsNoTracking().Where(c => c.ClientId == client.ClientId && c.ChannelId == client.ChannelId);
            var conversation = conversationId is { } id
                ? await mine.FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), cancellationToken)
                    ?? throw new NotFoundException("Conversation", id)
                : await mine.OrderBy(c => c.Status == ConversationStatus.Closed || c.Status == ConversationStatus.Rated)
                    .ThenByDescending(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (conversation is null)
            {
                return new Response([], null, false);
            }

            var (messages, hasMore) = await MessagePage.LoadAsync(db, conversation.Id, afterSeq, limit, includeNotes: false, cancellationToken);
            var operatorName = conversation.OperatorId is { } op
                ? await db.Operators.Where(o => o.Id == op).Select(o => o.DisplayName).FirstOrDefaultAsync(cancellationToken)
                : null;
            return new Response(
                messages,
                new ClientConversationView(conversation.Id.Value, conversation.Status, conversation.LastMessageSeq, operatorName, conversation.CreatedAt, conversation.ClosedAt,
                    conversation.OperatorReadSeq),
                hasMore);
        }
    }
}

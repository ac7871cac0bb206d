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
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public sealed record Response(IReadOnlyList<MessageView> Messages, ClientConversationView? Conversation, bool HasMore);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<Response> HandleAsync(ClientPrincipal client, long afterSeq, int? limit, Guid? conversationId, CancellationToken cancellationToken)
        {
            if (afterSeq < 0)
            {
                throw new FieldValidationException("afterSeq", "'afterSeq' must be zero or more.");
            }

            if (limit is < 1 or > MaxLimit)
            {
                throw new FieldValidationException("limit", $"'limit' must be between 1 and {MaxLimit}.");
            }

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

            var take = limit ?? DefaultLimit;
            var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments)
                .Where(m => m.ConversationId == conversation.Id && m.Seq > afterSeq && m.Direction != MessageDirection.Note)
                .OrderBy(m => m.Seq).Take(take + 1).ToListAsync(cancellationToken);
            var names = await AuthorNames.ForAsync(db, messages, cancellationToken);
            var operatorName = conversation.OperatorId is { } op
                ? await db.Operators.Where(o => o.Id == op).Select(o => o.DisplayName).FirstOrDefaultAsync(cancellationToken)
                : null;
            return new Response(
                messages.Take(take).Select(m => MessageView.From(m, names.NameOf(m))).ToList(),
                new ClientConversationView(conversation.Id.Value, conversation.Status, conversation.LastMessageSeq, operatorName, conversation.CreatedAt, conversation.ClosedAt),
                messages.Count > take);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>
/// One page of a conversation's messages after a sequence number, oldest first — the resume read shared
/// by the client protocol and the staff API (clients never see notes).
/// </summary>
public static class MessagePage
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Checks the paging arguments before anything is read (400 naming the field).</summary>
    public static void Validate(long afterSeq, int? limit)
    {
        if (afterSeq < 0)
        {
            throw new FieldValidationException("afterSeq", "'afterSeq' must be zero or more.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            throw new FieldValidationException("limit", $"'limit' must be between 1 and {MaxLimit}.");
        }
    }

    public static async Task<(IReadOnlyList<MessageView> Messages, bool HasMore)> LoadAsync(
        OmnichatDbContext db, ConversationId conversationId, long afterSeq, int? limit, bool includeNotes, CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultLimit;
        var query = db.Messages.AsNoTracking().Include(m => m.Attachments)
            .Where(m => m.ConversationId == conversationId && m.Seq > afterSeq);
        if (!includeNotes)
        {
            query = query.Where(m => m.Direction != MessageDirection.Note);
        }

        var messages = await query.OrderBy(m => m.Seq).Take(take + 1).ToListAsync(cancellationToken);
        var names = await AuthorNames.ForAsync(db, messages, cancellationToken);
        return (messages.Take(take).Select(m => MessageView.From(m, names.NameOf(m))).ToList(), messages.Count > take);
    }

    /// <summary>The newest <paramref name="limit"/> messages before <paramref name="beforeSeq"/> (all when null), oldest first — how a long conversation opens.</summary>
    public static async Task<(IReadOnlyList<MessageView> Messages, bool HasMore)> LoadLatestAsync(
        OmnichatDbContext db, ConversationId conversationId, long? beforeSeq, int? limit, bool includeNotes, CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultLimit;
        var query = db.Messages.AsNoTracking().Include(m => m.Attachments).Where(m => m.ConversationId == conversationId);
        if (beforeSeq is { } before)
        {
            query = query.Where(m => m.Seq < before);
        }

        if (!includeNotes)
        {
            query = query.Where(m => m.Direction != MessageDirection.Note);
        }

        var newest = await query.OrderByDescending(m => m.Seq).Take(take + 1).ToListAsync(cancellationToken);
        var page = newest.Take(take).OrderBy(m => m.Seq).ToList();
        var names = await AuthorNames.ForAsync(db, page, cancellationToken);
        return (page.Select(m => MessageView.From(m, names.NameOf(m))).ToList(), newest.Count > take);
    }
}

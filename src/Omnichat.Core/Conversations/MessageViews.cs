using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

public sealed record AuthorView(ActorKind Kind, string? Id, string? Name);

/// <summary>
/// A file in a message: download it from <c>files/{id}</c> (client or staff API); images have a small WebP
/// preview at <c>files/{id}/preview</c> when <c>Preview</c> is true, and their pixel size.
/// </summary>
public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, bool Preview = false, int? Width = null, int? Height = null)
{
    public static AttachmentView From(MessageAttachment a) => new(a.Id.Value, a.FileName, a.ContentType, a.Size, a.PreviewKey is not null, a.Width, a.Height);
}

/// <summary>A message as clients and staff receive it (REST and realtime push use the same shape).</summary>
public sealed record MessageView(
    Guid Id, Guid ConversationId, long Seq, MessageDirection Direction, string? Text, AuthorView Author,
    string? ClientMessageId, DeliveryStatus DeliveryStatus, DateTimeOffset CreatedAt, IReadOnlyList<AttachmentView> Attachments)
{
    public static MessageView From(Message m, string? authorName) => new(
        m.Id.Value, m.ConversationId.Value, m.Seq, m.Direction, m.Text, new AuthorView(m.AuthorKind, m.AuthorId, authorName),
        m.ClientMessageId, m.DeliveryStatus, m.CreatedAt,
        m.Attachments.OrderBy(a => a.CreatedAt).Select(AttachmentView.From).ToList());
}

/// <summary>The conversation as its client sees it.</summary>
/// <summary>The conversation as its client sees it; <c>OperatorReadSeq</c>: the operator has read the client's messages up to this seq.</summary>
public sealed record ClientConversationView(
    Guid Id, ConversationStatus Status, long LastMessageSeq, string? OperatorName, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, long OperatorReadSeq = 0);

/// <summary>Result of an idempotent send: <see cref="Created"/> is false when the key was seen before.</summary>
public sealed record SentMessage(MessageView Message, bool Created);

/// <summary>Display names of message authors (operators, named clients), looked up once per batch.</summary>
public static class AuthorNames
{
    /// <summary>Display names of the operators and clients who wrote the given messages.</summary>
    public static async Task<Dictionary<string, string>> ForAsync(OmnichatDbContext db, IEnumerable<Message> messages, CancellationToken cancellationToken)
    {
        var ids = messages.Where(m => m.AuthorId is not null).Select(m => m.AuthorId!).Distinct().ToList();
        var guids = ids.Select(i => Guid.TryParse(i, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        var operatorIds = guids.Select(OperatorId.From).ToList();
        var clientIds = guids.Select(ClientId.From).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in await db.Operators.Where(o => operatorIds.Contains(o.Id)).Select(o => new { o.Id, o.DisplayName }).ToListAsync(cancellationToken))
        {
            names[o.Id.ToString()] = o.DisplayName;
        }

        foreach (var c in await db.Clients.Where(c => clientIds.Contains(c.Id) && c.DisplayName != null).Select(c => new { c.Id, c.DisplayName }).ToListAsync(cancellationToken))
        {
            names[c.Id.ToString()] = c.DisplayName!;
        }

        return names;
    }

    public static string? NameOf(this Dictionary<string, string> names, Message m) =>
        m.AuthorId is not null && names.TryGetValue(m.AuthorId, out var n) ? n : null;
}

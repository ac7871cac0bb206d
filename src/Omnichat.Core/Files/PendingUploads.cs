using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Files;

/// <summary>Turns a message's <c>attachmentIds</c> into the sender's own unsent uploads (anything else is refused by position).</summary>
public static class PendingUploads
{
    public const int MaxPerMessage = 10;

    public static async Task<List<MessageAttachment>> TakeAsync(OmnichatDbContext db, string uploader, ChannelId channelId,
        IReadOnlyList<Guid>? ids, CancellationToken cancellationToken)
    {
        if (ids is null || ids.Count == 0)
        {
            return [];
        }

        var typed = ids.Select(AttachmentId.From).ToList();
        var found = await db.Set<MessageAttachment>()
            .Where(a => typed.Contains(a.Id) && a.UploadedBy == uploader && a.MessageId == null && a.ChannelId == channelId)
            .ToListAsync(cancellationToken);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!found.Exists(a => a.Id.Value == ids[i]))
            {
                // Someone else's file, a sent one, another channel's or an unknown id: all look the same.
                throw new FieldValidationException($"attachmentIds[{i}]", "No such uploaded file is waiting to be sent by you.");
            }
        }

        return [.. ids.Distinct().Select(id => found.First(a => a.Id.Value == id))];
    }
}

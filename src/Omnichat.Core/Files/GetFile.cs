using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Files;

/// <summary>
/// A file's content for someone who may see it: a client sees the files of their own conversations (never
/// those on staff notes) and their own unsent uploads; staff see the files of the conversations visible to
/// them and their own unsent uploads. Anything else is "not found" — a foreign id reveals nothing.
/// </summary>
public static class GetFile
{
    /// <summary>
    /// The content to send. <c>Inline</c>: a raster image (or a preview) that a browser may show; everything
    /// else is served as a download.
    /// </summary>
    public sealed record Content(Stream Stream, string ContentType, string FileName, long Length, bool Inline, string ETag);

    public sealed class Handler(OmnichatDbContext db, IFileStorage storage)
    {
        public async Task<Content> ForClientAsync(ClientPrincipal client, Guid id, bool preview, CancellationToken cancellationToken)
        {
            var me = client.ClientId.ToString();
            var attachment = await db.Set<MessageAttachment>().AsNoTracking()
                    .Where(a => a.Id == AttachmentId.From(id))
                    .Where(a => (a.MessageId == null && a.UploadedBy == me && a.UploadedByKind == ActorKind.Client)
                                || (a.MessageId != null
                                    && db.Messages.Any(m => m.Id == a.MessageId && m.Direction != MessageDirection.Note)
                                    && db.Conversations.Any(c => c.Id == a.ConversationId && c.ClientId == client.ClientId && c.ChannelId == client.ChannelId)))
                    .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("File", id);
            return await OpenAsync(attachment, preview, cancellationToken);
        }

        public async Task<Content> ForStaffAsync(StaffScope staff, Guid id, bool preview, CancellationToken cancellationToken)
        {
            var me = staff.OperatorId.ToString();
            var visible = staff.Visible(db.Conversations).Select(c => c.Id);
            var attachment = await db.Set<MessageAttachment>().AsNoTracking()
                    .Where(a => a.Id == AttachmentId.From(id))
                    .Where(a => (a.MessageId == null && a.UploadedBy == me && a.UploadedByKind == ActorKind.Operator)
                                || (a.MessageId != null && a.ConversationId != null && visible.Contains(a.ConversationId.Value)))
                    .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("File", id);
            return await OpenAsync(attachment, preview, cancellationToken);
        }

        /// <summary>A sent attachment by id, for a signed public link (<see cref="PublicFileLinks"/>): staff notes' files never.</summary>
        public async Task<Content> PublicAsync(AttachmentId id, CancellationToken cancellationToken)
        {
            var attachment = await db.Set<MessageAttachment>().AsNoTracking()
                    .Where(a => a.Id == id && a.MessageId != null && db.Messages.Any(m => m.Id == a.MessageId && m.Direction != MessageDirection.Note))
                    .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("File", id);
            return await OpenAsync(attachment, preview: false, cancellationToken);
        }

        private async Task<Content> OpenAsync(MessageAttachment a, bool preview, CancellationToken cancellationToken)
        {
            if (preview)
            {
                if (a.PreviewKey is null)
                {
                    throw new NotFoundException("Preview", a.Id);
                }

                var p = await OpenStoredAsync(a.PreviewKey, a.Id, cancellationToken);
                return new Content(p, "image/webp", Path.ChangeExtension(a.FileName, ".webp"), p.Length, Inline: true, $"\"{a.Sha256}-p\"");
            }

            var type = FileTypes.All.FirstOrDefault(t => t.ContentType == a.ContentType);
            var stream = await OpenStoredAsync(a.StorageKey, a.Id, cancellationToken);
            return new Content(stream, a.ContentType, a.FileName, a.Size, Inline: type?.IsInlineImage == true, $"\"{a.Sha256}\"");
        }

        private async Task<Stream> OpenStoredAsync(string key, AttachmentId id, CancellationToken cancellationToken)
        {
            try
            {
                return await storage.OpenReadAsync(key, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                throw new NotFoundException("File", id);
            }
        }
    }
}

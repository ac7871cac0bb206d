using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Files;

/// <summary>
/// Upload a file to send in a message (clients into their channel, staff into a conversation they handle).
/// The content decides the type — never the declared type or the extension: a file whose name says one type
/// and whose bytes are another is refused, markup and programs are never accepted, images must decode.
/// The result's id goes into the next message's <c>attachmentIds</c>; unsent uploads expire.
/// </summary>
public static class UploadFile
{
    public const string Field = "file";

    public sealed class Handler(OmnichatDbContext db, IFileStorage storage, TimeProvider time, IOptions<OmnichatOptions> options)
    {
        private readonly FilesOptions _files = options.Value.Files;

        public async Task<AttachmentView> ForClientAsync(ClientPrincipal client, string? fileName, Stream content, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.AsNoTracking().FirstAsync(c => c.Id == client.ChannelId, cancellationToken);
            return await StoreAsync(channel.Id, channel.Settings, null, ActorKind.Client, client.ClientId.ToString(), fileName, content, cancellationToken);
        }

        /// <summary>A file a client sent through a messenger, fetched from the vendor: the same checks as a widget upload.</summary>
        public async Task<AttachmentView> ForMessengerClientAsync(ChannelId channelId, ClientId clientId, string? fileName, Stream content,
            CancellationToken cancellationToken)
        {
            var settings = await db.Channels.Where(c => c.Id == channelId).Select(c => c.Settings).FirstAsync(cancellationToken);
            return await StoreAsync(channelId, settings, null, ActorKind.Client, clientId.ToString(), fileName, content, cancellationToken);
        }

        public async Task<AttachmentView> ForStaffAsync(StaffScope staff, Guid conversationId, string? fileName, Stream content, CancellationToken cancellationToken)
        {
            var conversation = await staff.HandledAsync(db.Conversations.AsNoTracking(), conversationId,
                "Only the assigned operator (or a supervisor) can send files in this conversation.", cancellationToken);

            var settings = await db.Channels.Where(c => c.Id == conversation.ChannelId).Select(c => c.Settings).FirstAsync(cancellationToken);
            return await StoreAsync(conversation.ChannelId, settings, conversation.Id, ActorKind.Operator, staff.OperatorId.ToString(), fileName, content, cancellationToken);
        }

        private async Task<AttachmentView> StoreAsync(ChannelId channelId, string settings, ConversationId? conversationId, ActorKind kind, string uploader,
            string? declaredName, Stream content, CancellationToken cancellationToken)
        {
            var rules = ChannelFileRules.From(settings, _files.MaxSizeMb);
            if (!rules.Enabled)
            {
                throw new FieldValidationException(Field, "This channel does not accept files.");
            }

            var unsent = await db.Set<MessageAttachment>().CountAsync(a => a.UploadedBy == uploader && a.MessageId == null, cancellationToken);
            if (unsent >= _files.MaxUnsentPerSender)
            {
                throw new TooManyRequestsException($"{unsent} uploaded files are waiting to be sent; send them in a message first.", Field);
            }

            var name = FileNames.Clean(declaredName);
            var extension = FileTypes.ExtensionOf(name);
            if (FileTypes.IsDangerousExtension(extension))
            {
                throw new FieldValidationException(Field, $"Files of type .{extension} are not accepted.");
            }

            var temp = Path.Combine(Path.GetTempPath(), "omnichat-upload-" + Guid.NewGuid().ToString("N"));
            try
            {
                var (size, sha256) = await CopyLimitedAsync(content, temp, rules.MaxSizeBytes, cancellationToken);
                if (size == 0)
                {
                    throw new FieldValidationException(Field, "The file is empty.");
                }

                var header = new byte[(int)Math.Min(size, FileTypes.HeaderLength)];
                await using (var read = File.OpenRead(temp))
                {
                    await read.ReadExactlyAsync(header, cancellationToken);
                }

                var type = FileTypes.Detect(header, extension, () => File.OpenRead(temp))
                    ?? throw new FieldValidationException(Field, "This type of file is not accepted.");
                var named = FileTypes.ByExtension(extension);
                if (named is not null && named != type && !(named.Category == FileCategory.Text && type.Category == FileCategory.Text))
                {
                    throw new FieldValidationException(Field, $"The file name says .{extension}, but the content is a {type.Description}.");
                }

                if (named is null)
                {
                    // No or an unknown extension: add the real one, so the file opens with the right program.
                    name = FileNames.Clean(name + "." + type.Extensions[0]);
                }

                if (!rules.Accepts(type))
                {
                    throw new FieldValidationException(Field, $"This channel does not accept {type.Description} files.");
                }

                ImagePreview.Result? image = null;
                if (type.Category == FileCategory.Image)
                {
                    await using var read = File.OpenRead(temp);
                    image = ImagePreview.Make(read, type) ?? throw new FieldValidationException(Field, $"The image is damaged or is not really a {type.Description}.");
                }

                var now = time.GetUtcNow();
                var attachment = new MessageAttachment
                {
                    Id = AttachmentId.New(),
                    ChannelId = channelId,
                    ConversationId = conversationId,
                    UploadedByKind = kind,
                    UploadedBy = uploader,
                    FileName = name,
                    ContentType = type.ContentType,
                    Size = size,
                    Sha256 = sha256,
                    StorageKey = FileKeys.New(now),
                    Width = image?.Width,
                    Height = image?.Height,
                    CreatedAt = now,
                };
                await using (var read = File.OpenRead(temp))
                {
                    await storage.SaveAsync(attachment.StorageKey, read, cancellationToken);
                }

                if (image?.Preview is { } preview)
                {
                    attachment.PreviewKey = FileKeys.PreviewOf(attachment.StorageKey);
                    await storage.SaveAsync(attachment.PreviewKey, new MemoryStream(preview), cancellationToken);
                }

                try
                {
                    db.Add(attachment);
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch
                {
                    await storage.DeleteAsync(attachment.StorageKey, CancellationToken.None);
                    if (attachment.PreviewKey is { } key)
                    {
                        await storage.DeleteAsync(key, CancellationToken.None);
                    }

                    throw;
                }

                return AttachmentView.From(attachment);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        /// <summary>Copies at most <paramref name="limit"/> bytes, hashing on the way; more is refused without reading it all.</summary>
        private static async Task<(long Size, string Sha256)> CopyLimitedAsync(Stream content, string path, long limit, CancellationToken cancellationToken)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            long size = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > limit)
                {
                    throw new FieldValidationException(Field, $"The file is larger than this channel accepts ({FormatSize(limit)}).");
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }

        private static string FormatSize(long bytes) =>
            bytes >= 1024 * 1024
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB")
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB");
    }
}

using System.Net;
using System.Net.Http.Headers;

namespace Omnichat.Client;

/// <summary>Files: upload, send, download.</summary>
public sealed partial class OmnichatClient
{
    /// <summary>
    /// Uploads a file (needs the network: an upload is not queued) and returns it; send it with
    /// <see cref="SendFileAsync"/> or put its id in a message yourself. The server decides the type from the
    /// content and refuses what the channel does not accept — an <see cref="OmnichatClientException"/> with
    /// <see cref="OmnichatClientException.Field"/> <c>file</c> and a readable message.
    /// </summary>
    /// <param name="content">The file's bytes (read to the end, not disposed).</param>
    /// <param name="fileName">The name to show; only its last segment is kept.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public Task<Attachment> UploadFileAsync(Stream content, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bytes = content.CanSeek ? null : ReadAll(content);
        var start = content.CanSeek ? content.Position : 0;
        return SendRequestAsync(HttpMethod.Post, "api/client/v1/files", () =>
        {
            HttpContent file;
            if (bytes is not null)
            {
                file = new ByteArrayContent(bytes);
            }
            else
            {
                content.Position = start;
                file = new StreamContent(new NonDisposingStream(content));
            }

            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new MultipartFormDataContent { { file, "file", fileName } };
        }, Internal.OmnichatJsonContext.Default.Attachment, authorized: true, cancellationToken);
    }

    /// <summary>
    /// Uploads a file and sends it as a message, with optional <paramref name="text"/>. Once uploaded, the
    /// message itself goes through the offline queue like any other (it survives an app restart).
    /// </summary>
    public async Task<SendResult> SendFileAsync(Stream content, string fileName, string? text = null, CancellationToken cancellationToken = default)
    {
        var uploaded = await UploadFileAsync(content, fileName, cancellationToken).ConfigureAwait(false);
        return await QueueAsync(new PendingMessage
        {
            ClientMessageId = Guid.NewGuid().ToString("D"),
            Text = text ?? "",
            CreatedAt = _time.GetUtcNow(),
            AttachmentIds = [uploaded.Id],
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies a file of this client's conversations (or an image's preview) into <paramref name="destination"/>.</summary>
    /// <exception cref="OmnichatClientException">404 when there is no such file for this client.</exception>
    public async Task DownloadFileAsync(Guid attachmentId, Stream destination, bool preview = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var path = $"api/client/v1/files/{attachmentId}" + (preview ? "/preview" : "");
        for (var attempt = 1; ; attempt++)
        {
            var session = await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUri, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw OmnichatClientException.Network(e);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
                {
                    InvalidateSession(session);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await OmnichatClientException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
                }

                await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    private static byte[] ReadAll(Stream content)
    {
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Lets an upload be retried (a 401 renews the session) without closing the caller's stream.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

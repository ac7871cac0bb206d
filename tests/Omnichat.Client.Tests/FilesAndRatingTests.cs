using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Omnichat.Client.Tests.Infrastructure;

namespace Omnichat.Client.Tests;

/// <summary>Files, ending and rating through the SDK against the real server.</summary>
public sealed class FilesAndRatingTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ServerHost Server => shared.Server;

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task The_app_sends_a_file_and_downloads_the_one_the_operator_sends_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync("Files app");
        var group = await staff.GroupAsync("Files", channel.Id);
        var (_, _, op) = await staff.OperatorAsync("fiona.sdk", group);

        await using var client = TestClients.Create(Server.BaseAddress, channel.Key);
        var app = new Recorder(client);
        await client.StartAsync(ct);
        var sent = await client.SendFileAsync(new MemoryStream(Pdf), "договор.pdf", "Подпишите, пожалуйста", ct);
        Assert.True(sent.IsSent);
        var mine = Assert.Single(sent.Message!.Attachments);
        Assert.Equal(("договор.pdf", "application/pdf", (long)Pdf.Length), (mine.FileName, mine.ContentType, mine.Size));
        var conversationId = sent.Message.ConversationId;
        await Eventually.HoldsAsync(() => client.Conversation, c => c is { Status: ConversationStatus.Assigned }, "the conversation to be assigned");

        // The operator's answer with a file arrives in realtime with its attachment, and downloads intact.
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent(Pdf);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(part, "file", "подписано.pdf");
            var upload = await op.PostAsync($"/api/v1/conversations/{conversationId}/files", form, ct);
            upload.EnsureSuccessStatusCode();
            var id = (await upload.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            (await op.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "signed", attachmentIds = new[] { id } }, ct))
                .EnsureSuccessStatusCode();
        }

        var received = await Eventually.HoldsAsync(() => app.Messages.FirstOrDefault(m => m.Direction == MessageDirection.Out && m.Attachments.Count == 1),
            m => m is not null, "the operator's file");
        var theirs = received!.Attachments[0];
        Assert.Equal("подписано.pdf", theirs.FileName);
        using var downloaded = new MemoryStream();
        await client.DownloadFileAsync(theirs.Id, downloaded, cancellationToken: ct);
        Assert.Equal(Pdf, downloaded.ToArray());

        // A file the channel refuses: a clear error on 'file', nothing queued.
        var refused = await Assert.ThrowsAsync<OmnichatClientException>(() => client.UploadFileAsync(new MemoryStream(Encoding.UTF8.GetBytes("<html></html>")), "page.html", ct));
        Assert.Equal(400, refused.Status);
        Assert.Equal("file", refused.Field);
        Assert.Empty(await client.GetPendingMessagesAsync(ct));
        // Someone else's file id: not found.
        var missing = await Assert.ThrowsAsync<OmnichatClientException>(() => client.DownloadFileAsync(Guid.NewGuid(), new MemoryStream(), cancellationToken: ct));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task The_app_ends_a_waiting_conversation_and_rates_a_closed_one_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync("Rating app");
        var group = await staff.GroupAsync("Rating", channel.Id);

        await using var client = TestClients.Create(Server.BaseAddress, channel.Key);
        await client.StartAsync(ct);
        await client.SendAsync("Есть кто?", ct); // nobody is working: it waits in the queue
        await Eventually.HoldsAsync(() => client.Conversation, c => c is { Status: ConversationStatus.Queued }, "the conversation to be queued");
        var ended = await client.EndConversationAsync(ct);
        Assert.True(ended.Abandoned);

        var (_, _, op) = await staff.OperatorAsync("rita.sdk", group);
        var sent = await client.SendAsync("Теперь есть?", ct);
        await Eventually.HoldsAsync(() => client.Conversation, c => c is { Status: ConversationStatus.Assigned }, "the new conversation to be assigned");
        await Staff.CloseAsync(op, sent.Message!.ConversationId);
        await Eventually.HoldsAsync(() => client.Conversation, c => c is { IsOpen: false }, "the close to arrive");
        var rating = await client.RateAsync(5, " Спасибо! ", cancellationToken: ct);
        Assert.Equal((sent.Message.ConversationId, 5, "Спасибо!"), (rating.ConversationId, rating.Score, rating.Comment));
        var again = await Assert.ThrowsAsync<OmnichatClientException>(() => client.RateAsync(1, cancellationToken: ct));
        Assert.Equal(409, again.Status);
        var invalid = await Assert.ThrowsAsync<OmnichatClientException>(() => client.RateAsync(7, conversationId: sent.Message.ConversationId, cancellationToken: ct));
        Assert.Equal(400, invalid.Status);
    }
}

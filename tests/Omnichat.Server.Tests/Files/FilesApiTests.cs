using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using SkiaSharp;

namespace Omnichat.Server.Tests.Files;

/// <summary>Attachments through the real HTTP pipeline: upload, send, receive, download, and every refusal.</summary>
public abstract class FilesApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static byte[] Png(int width = 800, int height = 600)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.CornflowerBlue);
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string url, byte[] content, string fileName, string declaredType = "application/octet-stream")
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(declaredType);
        form.Add(part, "file", fileName);
        return await http.PostAsync(url, form, Ct);
    }

    private async Task<(Scenario S, HttpClient Client, HttpClient Operator, Guid OperatorId, string Key, Guid Channel)> SetUpAsync(object? settings = null)
    {
        var s = await Scenario.CreateAsync(App);
        Guid channel;
        string key;
        if (settings is null)
        {
            (channel, key) = await s.ChannelAsync();
        }
        else
        {
            var created = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Files", settings }, Ct));
            channel = created.GetProperty("id").GetGuid();
            key = created.GetProperty("key").GetString()!;
        }

        var group = await s.GroupAsync("Team", channel);
        var (operatorId, op) = await s.OperatorAsync("fileop", group);
        var (client, _) = await s.ClientAsync(key);
        return (s, client, op, operatorId, key, channel);
    }

    private static async Task<Guid> OpenConversationAsync(Scenario s, HttpClient client)
    {
        var sent = await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "hello", text = "hello" }, Ct));
        var id = sent.GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "assigned", "assigned");
        return id;
    }

    [Fact]
    public async Task A_client_sends_an_image_the_operator_sees_it_with_a_preview_and_answers_with_a_pdf()
    {
        var (s, client, op, _, _, _) = await SetUpAsync();
        var conversation = await OpenConversationAsync(s, client);
        var png = Png();

        // The declared type is ignored: the bytes decide.
        var uploaded = await UploadAsync(client, "/api/client/v1/files", png, "фото.png", "text/html");
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Ct));
        var file = await Scenario.Json(uploaded);
        Assert.Equal("image/png", file.GetProperty("contentType").GetString());
        Assert.Equal("фото.png", file.GetProperty("fileName").GetString());
        Assert.Equal(png.Length, file.GetProperty("size").GetInt64());
        Assert.True(file.GetProperty("preview").GetBoolean());
        Assert.Equal(800, file.GetProperty("width").GetInt32());
        var fileId = file.GetProperty("id").GetGuid();

        // A message with only a file and no text is fine; resending the same clientMessageId changes nothing.
        var body = new { clientMessageId = "img-1", attachmentIds = new[] { fileId } };
        var sent = await client.PostAsJsonAsync("/api/client/v1/messages", body, Ct);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/client/v1/messages", body, Ct)).StatusCode);
        // The same file cannot go into a second message.
        await AssertInvalidFieldAsync(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "img-2", attachmentIds = new[] { fileId } }, Ct),
            "attachmentIds[0]");

        var messages = await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{conversation}/messages", Ct));
        var withFile = messages.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("attachments").GetArrayLength() == 1);
        Assert.Equal(fileId, withFile.GetProperty("attachments")[0].GetProperty("id").GetGuid());

        var download = await op.GetAsync($"/api/v1/files/{fileId}", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var preview = await op.GetAsync($"/api/v1/files/{fileId}/preview", Ct);
        Assert.Equal("image/webp", preview.Content.Headers.ContentType?.MediaType);
        using (var decoded = SKBitmap.Decode(await preview.Content.ReadAsByteArrayAsync(Ct)))
        {
            Assert.Equal(480, decoded.Width);
            Assert.Equal(360, decoded.Height);
        }

        // The operator answers with a PDF.
        var pdf = await Scenario.Json(await UploadAsync(op, $"/api/v1/conversations/{conversation}/files", Pdf, "счёт №1.pdf"));
        Assert.Equal("application/pdf", pdf.GetProperty("contentType").GetString());
        Assert.False(pdf.GetProperty("preview").GetBoolean());
        var pdfId = pdf.GetProperty("id").GetGuid();
        // Before it is sent, the client cannot fetch it.
        await AssertProblemAsync(await client.GetAsync($"/api/client/v1/files/{pdfId}", Ct), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "pdf-1", text = "Ваш счёт", attachmentIds = new[] { pdfId } }, Ct)).StatusCode);

        var clientView = await Scenario.Json(await client.GetAsync("/api/client/v1/messages", Ct));
        Assert.Contains(clientView.GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("attachments").EnumerateArray().Any(a => a.GetProperty("id").GetGuid() == pdfId));
        var pdfDownload = await client.GetAsync($"/api/client/v1/files/{pdfId}", Ct);
        Assert.Equal(HttpStatusCode.OK, pdfDownload.StatusCode);
        Assert.Equal("application/pdf", pdfDownload.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", pdfDownload.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("счёт №1.pdf", pdfDownload.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(Pdf, await pdfDownload.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Lying_empty_oversized_dangerous_and_unaccepted_files_are_refused_with_the_field_named()
    {
        var (s, client, _, _, _, _) = await SetUpAsync(new { files = new { maxSizeMb = 0.01, types = new[] { "image", "document" } } });
        const string url = "/api/client/v1/files";

        // A PDF named .png, an HTML page named .jpg.
        var lying = await AssertInvalidFieldAsync(await UploadAsync(client, url, Pdf, "cat.png", "image/png"), "file");
        Assert.Contains("PDF", lying, StringComparison.Ordinal);
        await AssertInvalidFieldAsync(await UploadAsync(client, url, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "cat.jpg"), "file");
        // Empty; over the channel's 10 KB; markup by extension; text where the channel takes only images and documents.
        await AssertInvalidFieldAsync(await UploadAsync(client, url, [], "empty.pdf"), "file");
        var big = await AssertInvalidFieldAsync(await UploadAsync(client, url, [.. Pdf, .. new byte[20_000]], "big.pdf"), "file");
        Assert.Contains("10.2 KB", big, StringComparison.Ordinal);
        await AssertInvalidFieldAsync(await UploadAsync(client, url, Encoding.UTF8.GetBytes("<svg onload=alert(1)>"), "x.svg"), "file");
        await AssertInvalidFieldAsync(await UploadAsync(client, url, Encoding.UTF8.GetBytes("just text"), "notes.txt"), "file");
        // A PNG header on garbage is not an image.
        await AssertInvalidFieldAsync(await UploadAsync(client, url, [.. Png(4, 4).Take(16), .. new byte[200]], "broken.png"), "file");
        // Not multipart at all, or no 'file' field.
        await AssertInvalidFieldAsync(await client.PostAsJsonAsync(url, new { file = "x" }, Ct), "file");
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Pdf), "other", "a.pdf" } })
        {
            await AssertInvalidFieldAsync(await client.PostAsync(url, form, Ct), "file");
        }

        // A path-traversal name is cut to its last segment; a name without an extension gets the real one.
        var traversal = await Scenario.Json(await UploadAsync(client, url, Pdf, "../../../etc/passwd\u202Egpj.pdf"));
        Assert.Equal("passwd_gpj.pdf", traversal.GetProperty("fileName").GetString());
        var bare = await Scenario.Json(await UploadAsync(client, url, Pdf, "..\\..\\invoice"));
        Assert.Equal("invoice.pdf", bare.GetProperty("fileName").GetString());

        // A channel with files switched off.
        var off = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "No files", settings = new { files = new { enabled = false } } }, Ct));
        var (noFiles, _) = await s.ClientAsync(off.GetProperty("key").GetString()!);
        await AssertInvalidFieldAsync(await UploadAsync(noFiles, url, Pdf, "a.pdf"), "file");
    }

    [Fact]
    public async Task Nobody_reaches_a_file_outside_what_they_may_see()
    {
        var (s, client, op, _, key, _) = await SetUpAsync();
        var conversation = await OpenConversationAsync(s, client);
        var png = Png(40, 30);

        // Another client of the same channel.
        var (stranger, _) = await s.ClientAsync(key, "stranger-visitor");
        var mine = (await Scenario.Json(await UploadAsync(client, "/api/client/v1/files", png, "a.png"))).GetProperty("id").GetGuid();
        await AssertProblemAsync(await stranger.GetAsync($"/api/client/v1/files/{mine}", Ct), HttpStatusCode.NotFound);
        // Nor can the stranger send my upload as theirs.
        await AssertInvalidFieldAsync(await stranger.PostAsJsonAsync("/api/client/v1/messages",
            new { clientMessageId = "steal", attachmentIds = new[] { mine } }, Ct), "attachmentIds[0]");
        await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "mine", attachmentIds = new[] { mine } }, Ct);
        await AssertProblemAsync(await stranger.GetAsync($"/api/client/v1/files/{mine}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.GetAsync($"/api/client/v1/files/{mine}/preview", Ct), HttpStatusCode.NotFound);

        // A staff note's file never reaches the client.
        var noteFile = (await Scenario.Json(await UploadAsync(op, $"/api/v1/conversations/{conversation}/files", png, "internal.png"))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "note-1", text = "for staff", note = true, attachmentIds = new[] { noteFile } }, Ct)).StatusCode);
        await AssertProblemAsync(await client.GetAsync($"/api/client/v1/files/{noteFile}", Ct), HttpStatusCode.NotFound);
        var clientMessages = await Scenario.Json(await client.GetAsync("/api/client/v1/messages", Ct));
        Assert.DoesNotContain(clientMessages.GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("attachments").EnumerateArray().Any(a => a.GetProperty("id").GetGuid() == noteFile));

        // An operator of another group: neither the conversation's files nor uploads into it.
        var otherGroup = await s.GroupAsync("Other");
        var (_, outsider) = await s.OperatorAsync("outsider", otherGroup);
        await AssertProblemAsync(await outsider.GetAsync($"/api/v1/files/{mine}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await UploadAsync(outsider, $"/api/v1/conversations/{conversation}/files", png, "x.png"), HttpStatusCode.NotFound);
        // A client token on the staff file API, and no token at all.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/files/{mine}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync($"/api/client/v1/files/{mine}", Ct)).StatusCode);
        // An operator cannot send someone else's upload either.
        var opUpload = (await Scenario.Json(await UploadAsync(op, $"/api/v1/conversations/{conversation}/files", png, "y.png"))).GetProperty("id").GetGuid();
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "admin-steal", text = "x", attachmentIds = new[] { opUpload } }, Ct), "attachmentIds[0]");
    }

    [Fact]
    public async Task Unsent_uploads_are_limited_per_sender_and_swept_after_their_lifetime()
    {
        var (_, client, _, _, _, _) = await SetUpAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await Scenario.Json(await UploadAsync(client, "/api/client/v1/files", Pdf, $"f{i}.pdf"))).GetProperty("id").GetGuid());
        }

        var refused = await UploadAsync(client, "/api/client/v1/files", Pdf, "one-more.pdf");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("file", (await Scenario.Json(refused)).GetProperty("field").GetString());

        // Age them past the lifetime and sweep: rows and bytes are gone.
        await App.InScopeAsync(async db =>
        {
            foreach (var a in db.Set<Omnichat.Core.Conversations.MessageAttachment>())
            {
                a.CreatedAt = a.CreatedAt.AddDays(-2);
            }

            await db.SaveChangesAsync(Ct);
        });
        await using (var scope = App.Services.CreateAsyncScope())
        {
            Assert.Equal(20, await scope.ServiceProvider.GetRequiredService<Omnichat.Core.Files.DeleteUnsentUploads>().RunAsync(Ct));
        }

        await AssertProblemAsync(await client.GetAsync($"/api/client/v1/files/{ids[0]}", Ct), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(client, "/api/client/v1/files", Pdf, "again.pdf")).StatusCode);
    }
}

public sealed class FilesApiTestsOnSqlite() : FilesApiTests(DatabaseProvider.Sqlite);

public sealed class FilesApiTestsOnPostgres() : FilesApiTests(DatabaseProvider.Postgres);

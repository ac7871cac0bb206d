using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Files;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing.Messengers;

namespace Omnichat.Server.Tests.Channels;

/// <summary>Operator files to messengers: uploaded to Telegram as multipart, given to Viber as an expiring signed link; each part once, in order.</summary>
public abstract class MessengerFilesTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static async Task SendWithFileAsync(HttpClient op, Guid conversation, string key, string text, bool withPicture = false)
    {
        var ids = new List<Guid>
        {
            (await Scenario.Json(await FilesApiTests.UploadAsync(op, $"/api/v1/conversations/{conversation}/files", Pdf, "счёт №1.pdf"))).GetProperty("id").GetGuid(),
        };
        if (withPicture)
        {
            ids.Add((await Scenario.Json(await FilesApiTests.UploadAsync(op, $"/api/v1/conversations/{conversation}/files", Png, "схема.png"))).GetProperty("id").GetGuid());
        }

        (await op.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = key, text, attachmentIds = ids }, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Telegram_gets_the_text_then_the_document_and_the_picture_uploaded_as_multipart()
    {
        await using var fake = new FakeTelegram();
        var s = await Scenario.CreateAsync(App);
        var (channel, secret) = await MessengerTestKit.ChannelAsync(s, "telegram", new { botToken = FakeTelegram.Token, apiBaseUrl = fake.BaseUrl });
        var (_, op) = await s.OperatorAsync("tgf.op", await s.GroupAsync("TG", channel));
        var update = """{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":71,"type":"private"},"from":{"id":71,"is_bot":false,"first_name":"Ю"},"text":"счёт?"}}""";
        (await MessengerTestKit.PostWebhookAsync(App, "telegram", channel, update, ("X-Telegram-Bot-Api-Secret-Token", secret))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        fake.Script("sendDocument", new ScriptedAnswer(502, "bad gateway", "text/plain")); // the file part retries on its own
        await SendWithFileAsync(op, id, "f1", "Ваш счёт", withPicture: true);
        var attempts = await fake.WaitForAsync("sendDocument", 2);
        Assert.Equal(2, attempts.Count); // the refused attempt and the retry
        var document = attempts[1];
        Assert.Equal(Pdf, document.Files["document"]);
        Assert.Equal("счёт №1.pdf", document.Form["document.filename"]);
        Assert.Equal("71", document.Form["chat_id"]);
        var text = Assert.Single(fake.Calls("sendMessage"));
        Assert.True(text.At <= document.At);
        var photo = Assert.Single(await fake.WaitForAsync("sendPhoto"));
        Assert.Equal(Png, photo.Files["photo"]);
        Assert.True(document.At <= photo.At); // the parts go in order: text, document, picture
        await MessengerTestKit.DeliveryAsync(op, id, "f1", "delivered");
    }

    [Fact]
    public async Task Viber_gets_a_signed_expiring_link_that_opens_only_that_file()
    {
        await using var fake = new FakeViber();
        var s = await Scenario.CreateAsync(App);
        var (channel, _) = await MessengerTestKit.ChannelAsync(s, "viber", new { authToken = FakeViber.Token, apiBaseUrl = fake.ApiBaseUrl });
        var (_, op) = await s.OperatorAsync("vbf.op", await s.GroupAsync("VB", channel));
        var callback = """{"event":"message","timestamp":1,"message_token":1,"sender":{"id":"vu","name":"V"},"message":{"type":"text","text":"файл?"}}""";
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(FakeViber.Token), Encoding.UTF8.GetBytes(callback)));
        (await MessengerTestKit.PostWebhookAsync(App, "viber", channel, callback, ("X-Viber-Content-Signature", signature))).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        await SendWithFileAsync(op, id, "f1", "Держите", withPicture: true);
        var sends = await fake.WaitForAsync("send_message", 3);
        var picture = JsonNode.Parse(sends[2].Body)!;
        Assert.Equal("picture", picture["type"]!.GetValue<string>());
        Assert.EndsWith("/" + Uri.EscapeDataString("схема.png"), picture["media"]!.GetValue<string>(), StringComparison.Ordinal);
        var file = JsonNode.Parse(sends[1].Body)!;
        Assert.Equal("text", JsonNode.Parse(sends[0].Body)!["type"]!.GetValue<string>());
        Assert.Equal("file", file["type"]!.GetValue<string>());
        Assert.Equal("счёт №1.pdf", file["file_name"]!.GetValue<string>());
        Assert.Equal(Pdf.Length, file["size"]!.GetValue<long>());
        var media = new Uri(file["media"]!.GetValue<string>());
        Assert.StartsWith("/public/files/", media.AbsolutePath, StringComparison.Ordinal);

        var anonymous = App.CreateClient();
        var download = await anonymous.GetAsync(media.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        var segments = media.AbsolutePath.Split('/');
        var tampered = string.Join('/', segments.Take(3)) + "/" + segments[3][..^2] + "xx/" + segments[4];
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(tampered, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/public/files/not-a-token/x.pdf", Ct)).StatusCode);
    }

    [Fact]
    public async Task VK_gets_the_file_as_a_document_and_the_picture_as_a_photo()
    {
        await using var fake = new FakeVk();
        var s = await Scenario.CreateAsync(App);
        var (channel, secret) = await MessengerTestKit.ChannelAsync(s, "vk",
            new { accessToken = FakeVk.Token, groupId = FakeVk.GroupId, confirmationCode = "c", apiBaseUrl = fake.ApiBaseUrl });
        var (_, op) = await s.OperatorAsync("vkf.op", await s.GroupAsync("VK", channel));
        var update = "{\"type\":\"message_new\",\"event_id\":\"e1\",\"v\":\"5.199\",\"group_id\":" + FakeVk.GroupId + ",\"secret\":\"" + secret
                     + "\",\"object\":{\"message\":{\"id\":1,\"date\":1,\"peer_id\":91,\"from_id\":91,\"text\":\"счёт?\",\"attachments\":[]}}}";
        (await MessengerTestKit.PostWebhookAsync(App, "vk", channel, update)).EnsureSuccessStatusCode();
        var id = (await MessengerTestKit.AssignedConversationAsync(s, channel)).GetProperty("id").GetGuid();

        await SendWithFileAsync(op, id, "f1", "Ваш счёт", withPicture: true);
        var sends = await fake.WaitForAsync("messages.send", 3);
        Assert.Equal("Ваш счёт", sends[0].Form["message"]);
        var (docId, doc) = Assert.Single(fake.Docs);
        Assert.Equal(Pdf, doc.Content);
        Assert.Equal("счёт №1.pdf", doc.Title);
        Assert.Equal($"doc-{FakeVk.GroupId}_{docId}", sends[1].Form["attachment"]);
        Assert.Equal("91", sends[1].Form["peer_id"]);
        Assert.NotEqual(sends[0].Form["random_id"], sends[1].Form["random_id"]);
        // The picture goes as a photo (photos.getMessagesUploadServer → upload → photos.saveMessagesPhoto).
        var (photoId, photo) = Assert.Single(fake.Photos);
        Assert.Equal(Png, photo);
        Assert.Equal($"photo-{FakeVk.GroupId}_{photoId}", sends[2].Form["attachment"]);
        await MessengerTestKit.DeliveryAsync(op, id, "f1", "delivered");
    }
}

public sealed class MessengerFilesTestsOnSqlite() : MessengerFilesTests(DatabaseProvider.Sqlite);

public sealed class MessengerFilesTestsOnPostgres() : MessengerFilesTests(DatabaseProvider.Postgres);

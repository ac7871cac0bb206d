using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Mail;

/// <summary>The mail module against a real SMTP server on loopback.</summary>
public abstract partial class MailTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Hostile = "<script>alert(1)</script> & «кавычки»";
    private readonly TestSmtpServer _smtp = new();
    private TestDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(provider);

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    private OmnichatApp App(string roles = "web,channels,worker") => new OmnichatApp(_database, roles)
        .WithSetting("Omnichat:Mail:Host", "127.0.0.1")
        .WithSetting("Omnichat:Mail:Port", _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithSetting("Omnichat:Mail:Security", "None")
        .WithSetting("Omnichat:Mail:FromAddress", "support@omnichat.test")
        .WithSetting("Omnichat:Mail:FromName", "Служба поддержки")
        .WithSetting("Omnichat:Mail:PollInterval", "00:00:00.200")
        .WithSetting("Omnichat:Mail:PublicBaseUrl", "https://chat.example.test");

    /// <summary>A finished conversation: client "Иван", two client messages and an operator answer, closed.</summary>
    private static async Task<(Scenario S, HttpClient Client, HttpClient Op, Guid ConversationId)> FinishedConversationAsync(OmnichatApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var (channel, key) = await s.ChannelAsync("Сайт");
        var group = await s.GroupAsync("Поддержка", channel);
        var (_, op) = await s.OperatorAsync("mail.operator", group);
        var http = app.CreateClient();
        var session = await Scenario.Json(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key, user = new { name = "Иван" } }, Ct));
        http.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        var first = await Scenario.Json(await http.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "c1", text = "Здравствуйте! " + Hostile }, Ct));
        var id = first.GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => (await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=mine", Ct))).GetProperty("total").GetInt32(), n => n == 1, "assigned");
        (await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "o1", text = "Добрый день, Иван!\nЧем помочь?" }, Ct)).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "c2", text = "Уже ничем, спасибо" }, Ct)).EnsureSuccessStatusCode();
        (await op.PostAsync($"/api/v1/conversations/{id}/close", null, Ct)).EnsureSuccessStatusCode();
        return (s, http, op, id);
    }

    [Fact]
    public async Task Transcript_OfAFinishedConversation_ArrivesWholeInBothParts_WithCyrillicHeaders()
    {
        await using var app = App();
        var (_, client, op, conversationId) = await FinishedConversationAsync(app);

        var response = await client.PostAsJsonAsync("/api/client/v1/transcript", new { email = "ivan@example.com" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var mail = Assert.Single(await _smtp.WaitForAsync(1));
        Assert.Equal("ivan@example.com", Assert.IsType<MailboxAddress>(Assert.Single(mail.To)).Address);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(mail.From));
        Assert.Equal(("support@omnichat.test", "Служба поддержки"), (from.Address, from.Name));
        Assert.StartsWith("История вашего обращения от ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("=?utf-8?", RawHeader(mail, "Subject"), StringComparison.OrdinalIgnoreCase); // RFC 2047 encoded on the wire
        Assert.False(string.IsNullOrEmpty(mail.MessageId));

        foreach (var text in new[] { "Здравствуйте! " + Hostile, "Добрый день, Иван!", "Чем помочь?", "Уже ничем, спасибо" })
        {
            Assert.Contains(text, mail.TextBody, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; ", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("кавычки", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Op mail.operator", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Уже ничем, спасибо", mail.HtmlBody, StringComparison.Ordinal);

        // From the workstation side: no address given → the client's remembered one.
        var staff = await op.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/transcript", new { }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, staff.StatusCode);
        var both = await _smtp.WaitForAsync(2);
        Assert.Equal("ivan@example.com", ((MailboxAddress)both[1].To[0]).Address);
    }

    [Fact]
    public async Task OfflineRequest_EachOperatorAnswerIsEmailedOnce()
    {
        await using var app = App();
        var s = await Scenario.CreateAsync(app);
        var (channel, key) = await s.ChannelAsync("Сайт");
        var group = await s.GroupAsync("Поддержка", channel);
        var (_, op) = await s.OperatorAsync("answering", group);
        var (client, _) = await s.ClientAsync(key);

        var bad = await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "x", text = "hi", notifyEmail = "a@b.c\r\nBcc: x@y.z" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var first = await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages",
            new { clientMessageId = "offline-1", text = "Перезвоните, пожалуйста", notifyEmail = "offline@example.com" }, Ct));
        var id = first.GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => (await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=mine", Ct))).GetProperty("total").GetInt32(), n => n == 1, "assigned");

        await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "a1", text = "Здравствуйте! " + Hostile }, Ct);
        await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "a1", text = "Здравствуйте! " + Hostile }, Ct); // a repeat: no new message
        await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "n1", text = "internal", note = true }, Ct);
        await op.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "a2", text = "Перезвоним в 15:00" }, Ct);

        var mails = await _smtp.WaitForAsync(2);
        await Task.Delay(1000, Ct);
        Assert.Equal(2, _smtp.Received.Count); // two answers, two mails; the note and the repeat send nothing
        Assert.All(mails, m => Assert.Equal("offline@example.com", ((MailboxAddress)m.To[0]).Address));
        Assert.Equal("Ответ на ваше обращение", mails[0].Subject);
        Assert.Contains("Здравствуйте! " + Hostile, mails.Select(m => m.TextBody).First(t => t!.Contains("Здравствуйте", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(mails, m => m.TextBody!.Contains("Перезвоним в 15:00", StringComparison.Ordinal));
        Assert.All(mails, m => Assert.DoesNotContain("<script>", m.HtmlBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MailQueuedBeforeARestart_IsSentExactlyOnceAfterIt()
    {
        string clientToken;
        await using (var first = App())
        {
            var (_, client, _, _) = await FinishedConversationAsync(first);
            clientToken = client.DefaultRequestHeaders.Authorization!.Parameter!;
        }

        await using (var webOnly = App(roles: "web"))
        {
            var client = webOnly.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", clientToken);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/client/v1/transcript", new { email = "restart@example.com" }, Ct)).StatusCode);
            await Task.Delay(800, Ct);
            Assert.Empty(_smtp.Received); // no sender on this node: the mail waits in the database
        }

        await using var worker = App();
        _ = worker.Server;
        await _smtp.WaitForAsync(1);
        await Task.Delay(1500, Ct); // several sender passes later …
        Assert.Single(_smtp.Received); // … still exactly one
        var admin = await worker.AdminClientAsync();
        var outgoing = await Scenario.Json(await admin.GetAsync("/api/v1/mail/outgoing", Ct));
        var row = Assert.Single(outgoing.EnumerateArray());
        Assert.Equal("sent", row.GetProperty("status").GetString());
        Assert.Equal(1, row.GetProperty("attempts").GetInt32());
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a@b.c\r\nBcc: victim@example.com")]
    [InlineData("Иван <ivan@example.com>")]
    public async Task Transcript_WithABadAddress_Is400_AndQueuesNothing(string email)
    {
        await using var app = App();
        var (s, client, _, _) = await FinishedConversationAsync(app);
        var response = await client.PostAsJsonAsync("/api/client/v1/transcript", new { email }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Scenario.Json(response)).GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(0, (await Scenario.Json(await s.Admin.GetAsync("/api/v1/mail/outgoing", Ct))).GetArrayLength());
    }

    [Fact]
    public async Task RefusedRecipient_EndsAsFailedWithTheServersAnswer_AndCanBeRetried()
    {
        _smtp.RejectedRecipients["blocked@example.com"] = true;
        await using var app = App();
        var (s, client, _, _) = await FinishedConversationAsync(app);
        await client.PostAsJsonAsync("/api/client/v1/transcript", new { email = "blocked@example.com" }, Ct);

        var failed = await Scenario.EventuallyAsync(
            async () => await Scenario.Json(await s.Admin.GetAsync("/api/v1/mail/outgoing?status=failed", Ct)),
            list => list.GetArrayLength() == 1, "the refused mail marked failed");
        Assert.Contains("550", failed[0].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(_smtp.Received);

        _smtp.RejectedRecipients.Clear();
        var id = failed[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.PostAsync($"/api/v1/mail/outgoing/{id}/retry", null, Ct)).StatusCode);
        await _smtp.WaitForAsync(1);
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.PostAsync($"/api/v1/mail/outgoing/{id}/retry", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task UnreachableServer_TestMailIs502WithTheReason_QueuedMailRetriesVisibly()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var app = App().WithSetting("Omnichat:Mail:FirstRetryDelay", "01:00:00");
        var (s, client, _, _) = await FinishedConversationAsync(app);
        var saved = await s.Admin.PutAsJsonAsync("/api/v1/mail/settings", new
        {
            host = "127.0.0.1", port = closedPort, security = "none", fromAddress = "support@omnichat.test", fromName = "Поддержка", userName = "smtp-user", password = "smtp-secret",
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var view = await Scenario.Json(await s.Admin.GetAsync("/api/v1/mail/settings", Ct));
        Assert.True(view.GetProperty("passwordSet").GetBoolean());
        Assert.DoesNotContain("smtp-secret", view.ToString(), StringComparison.Ordinal);

        var test = await s.Admin.PostAsJsonAsync("/api/v1/mail/test", new { to = "admin@example.com" }, Ct);
        Assert.Equal(HttpStatusCode.BadGateway, test.StatusCode);
        Assert.False(string.IsNullOrEmpty((await Scenario.Json(test)).GetProperty("detail").GetString()));

        await client.PostAsJsonAsync("/api/client/v1/transcript", new { email = "later@example.com" }, Ct);
        var pending = await Scenario.EventuallyAsync(
            async () => await Scenario.Json(await s.Admin.GetAsync("/api/v1/mail/outgoing?status=pending", Ct)),
            list => list.GetArrayLength() == 1 && list[0].GetProperty("attempts").GetInt32() >= 1, "a failed attempt recorded");
        Assert.False(string.IsNullOrEmpty(pending[0].GetProperty("lastError").GetString()));
        Assert.True(pending[0].GetProperty("nextAttemptAt").GetDateTimeOffset() > TimeProvider.System.GetUtcNow().AddMinutes(30));

        // Pointing the settings back at the working server makes the test e-mail go through.
        await s.Admin.PutAsJsonAsync("/api/v1/mail/settings", new { host = "127.0.0.1", port = _smtp.Port, security = "none", fromAddress = "support@omnichat.test", password = "" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.PostAsJsonAsync("/api/v1/mail/test", new { to = "admin@example.com" }, Ct)).StatusCode);
        Assert.Equal("Проверка почты Omnichat", (await _smtp.WaitForAsync(1))[0].Subject);
    }

    [Theory]
    [InlineData("""{"host":"smtp.example.com","port":587,"security":"start-tls","fromAddress":"a@example.com","fromName":"Evil\r\nBcc: x@example.com"}""", "fromName")]
    [InlineData("""{"host":"smtp.example.com","port":587,"security":"start-tls","fromAddress":"not an address"}""", "fromAddress")]
    [InlineData("""{"host":"smtp.example.com","port":70000,"security":"start-tls","fromAddress":"a@example.com"}""", "port")]
    [InlineData("""{"host":"smtp example.com","port":587,"security":"start-tls","fromAddress":"a@example.com"}""", "host")]
    [InlineData("""{"host":"smtp.example.com","port":587,"security":"ssl3","fromAddress":"a@example.com"}""", "security")]
    public async Task MailSettings_BadInput_Is400NamingTheField(string json, string field)
    {
        await using var app = App();
        var admin = await app.AdminClientAsync();
        var response = await admin.PutAsync("/api/v1/mail/settings", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Scenario.Json(response)).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Attachments_ArriveWithNameTypeAndContent()
    {
        await using var app = App();
        _ = app.Server;
        var content = Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            scope.ServiceProvider.GetRequiredService<MailQueue>().Enqueue(db, new MailDraft(
                "report", "analyst@example.com", "Аналитик", "Отчёт за ноябрь", "<p>Отчёт во вложении</p>", "Отчёт во вложении",
                [("отчёт-ноябрь.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", content)]));
            await db.SaveChangesAsync(Ct);
        }

        var mail = Assert.Single(await _smtp.WaitForAsync(1));
        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal("отчёт-ноябрь.xlsx", attachment.FileName);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", attachment.ContentType.MimeType);
        using var received = new MemoryStream();
        await attachment.Content!.DecodeToAsync(received, Ct);
        Assert.Equal(content, received.ToArray());
        Assert.Equal("Отчёт во вложении", mail.TextBody?.Trim());
    }

    [Fact]
    public async Task HeaderInjection_InANameOrSubject_IsRefusedBeforeQueueing()
    {
        await using var app = App();
        _ = app.Server;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var queue = scope.ServiceProvider.GetRequiredService<MailQueue>();
        Assert.Equal("name", Assert.Throws<FieldValidationException>(() =>
            queue.Enqueue(db, new MailDraft("x", "a@example.com", "Eve\r\nBcc: b@example.com", "s", "h", "t"))).Field);
        Assert.Equal("subject", Assert.Throws<FieldValidationException>(() =>
            queue.Enqueue(db, new MailDraft("x", "a@example.com", null, "Hi\nBcc: b@example.com", "h", "t"))).Field);
    }

    [Fact]
    public async Task PasswordReset_SendsAOneTimeLink_ThatSetsANewPassword()
    {
        await using var app = App();
        var admin = await app.AdminClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "forgetful", password = "Old-Passw0rd", displayName = "Забывчивый", capacity = 1, email = "forgetful@example.com",
        }, Ct)).EnsureSuccessStatusCode();
        var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset", new { login = "nobody" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset", new { login = "forgetful" }, Ct)).StatusCode);

        var mail = Assert.Single(await _smtp.WaitForAsync(1));
        Assert.Equal("forgetful@example.com", ((MailboxAddress)mail.To[0]).Address);
        var link = ResetLink().Match(mail.TextBody ?? "").Value;
        Assert.StartsWith("https://chat.example.test/account/reset-password?login=forgetful&token=", link, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

        await AssertFieldAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { login = "forgetful", token, newPassword = "weak" }, Ct), "newPassword");
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { login = "forgetful", token, newPassword = "New-Passw0rd-1" }, Ct)).StatusCode);
        await app.SignedInClientAsync("forgetful", "New-Passw0rd-1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { login = "forgetful", password = "Old-Passw0rd" }, Ct)).StatusCode);
        await AssertFieldAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { login = "forgetful", token, newPassword = "Another-Passw0rd" }, Ct), "token");
        await AssertFieldAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { login = "forgetful", token = "forged", newPassword = "Another-Passw0rd" }, Ct), "token");
        Assert.Single(_smtp.Received); // nothing was sent for the unknown login
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Scenario.Json(response)).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    private static string RawHeader(MimeMessage message, string name)
    {
        using var stream = new MemoryStream();
        message.Headers.WriteTo(stream);
        var raw = System.Text.Encoding.ASCII.GetString(stream.ToArray());
        return raw.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) ?? "";
    }

    [GeneratedRegex(@"https://chat\.example\.test/account/reset-password\?\S+")]
    private static partial Regex ResetLink();
}

public sealed class MailTestsOnSqlite() : MailTests(DatabaseProvider.Sqlite);

public sealed class MailTestsOnPostgres() : MailTests(DatabaseProvider.Postgres);

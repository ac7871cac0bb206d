using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using OtpNet;

namespace Omnichat.Server.Tests.Access;

/// <summary>Two-factor sign-in, sessions and sign-out everywhere, lockout and the sign-in audit trail, names with markup.</summary>
public abstract class AccountSecurityTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Password = "Secure-Passw0rd-1";

    private static async Task<Guid> UserAsync(HttpClient admin, string login, string displayName = "Someone")
    {
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new { login, password = Password, displayName }, Ct);
        created.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(created)).GetProperty("id").GetGuid();
    }

    private Task<HttpResponseMessage> TokenAsync(string login, string password, string? code = null, string? recovery = null) =>
        App.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { login, password, twoFactorCode = code, recoveryCode = recovery }, Ct);

    private HttpClient Bearer(JsonElement token)
    {
        var http = App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        return http;
    }

    [Fact]
    public async Task Two_factor_enrolment_then_sign_in_needs_the_code_or_a_one_time_recovery_code()
    {
        var admin = await App.AdminClientAsync();
        await UserAsync(admin, "tf");
        var me = Bearer(await ReadJsonAsync(await TokenAsync("tf", Password)));

        var enrol = await ReadJsonAsync(await me.PostAsync("/api/v1/account/two-factor/enrol", null, Ct));
        var secret = enrol.GetProperty("secret").GetString()!.Replace(" ", "", StringComparison.Ordinal);
        Assert.StartsWith("otpauth://totp/Omnichat:tf?secret=", enrol.GetProperty("otpAuthUri").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("<svg", enrol.GetProperty("qrCodeSvg").GetString()!.TrimStart().Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "", StringComparison.Ordinal).TrimStart(), StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(secret));

        await AssertInvalidFieldAsync(await me.PostAsJsonAsync("/api/v1/account/two-factor/confirm", new { code = "000000" == totp.ComputeTotp() ? "111111" : "000000" }, Ct), "code");
        var confirmed = await me.PostAsJsonAsync("/api/v1/account/two-factor/confirm", new { code = totp.ComputeTotp() }, Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var recovery = (await ReadJsonAsync(confirmed)).GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, recovery.Count);

        // The password alone is not enough any more: 401 naming the missing field.
        var passwordOnly = await AssertProblemAsync(await TokenAsync("tf", Password), HttpStatusCode.Unauthorized);
        Assert.True(passwordOnly.GetProperty("twoFactorRequired").GetBoolean());
        await AssertProblemAsync(await TokenAsync("tf", Password, code: "12345x"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync("tf", Password, code: totp.ComputeTotp())).StatusCode);
        // A recovery code works once.
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync("tf", Password, recovery: recovery[0])).StatusCode);
        await AssertProblemAsync(await TokenAsync("tf", Password, recovery: recovery[0]), HttpStatusCode.Unauthorized);
        var status = await ReadJsonAsync(await me.GetAsync("/api/v1/account/two-factor", Ct));
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(9, status.GetProperty("recoveryCodesLeft").GetInt32());

        // An administrator can reset it for someone who lost the device.
        var tfId = (await ReadJsonAsync(await admin.GetAsync("/api/v1/operators", Ct))).EnumerateArray().Single(o => o.GetProperty("login").GetString() == "tf");
        Assert.True(tfId.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/operators/{tfId.GetProperty("id").GetGuid()}/two-factor", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync("tf", Password)).StatusCode);
    }

    [Fact]
    public async Task Sessions_are_listed_ended_one_by_one_or_everywhere_and_an_ended_token_is_401()
    {
        var admin = await App.AdminClientAsync();
        var id = await UserAsync(admin, "sess");
        var first = await ReadJsonAsync(await TokenAsync("sess", Password));
        var second = await ReadJsonAsync(await TokenAsync("sess", Password));
        var third = await ReadJsonAsync(await TokenAsync("sess", Password));
        var a = Bearer(first);
        var sessions = (await ReadJsonAsync(await a.GetAsync("/api/v1/account/sessions", Ct))).EnumerateArray().ToList();
        Assert.Equal(3, sessions.Count);
        Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());

        // End the second from the first: the second token stops at once; someone else's session id is 404.
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/api/v1/account/sessions/{second.GetProperty("sessionId").GetGuid()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(second).GetAsync("/api/v1/account/sessions", Ct)).StatusCode);
        var adminSessions = (await ReadJsonAsync(await admin.GetAsync("/api/v1/account/sessions", Ct))).EnumerateArray().First().GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await a.DeleteAsync($"/api/v1/account/sessions/{adminSessions}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/account/sessions", Ct)).StatusCode);

        // Sign out everywhere: every token of the account is dead.
        var ended = await ReadJsonAsync(await Bearer(third).PostAsync("/api/v1/account/sessions/sign-out-everywhere", null, Ct));
        Assert.Equal(2, ended.GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.GetAsync("/api/v1/account/sessions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(third).GetAsync("/api/v1/account/sessions", Ct)).StatusCode);

        // An administrator signs someone out everywhere the same way.
        var again = Bearer(await ReadJsonAsync(await TokenAsync("sess", Password)));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/operators/{id}/sign-out", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/v1/account/sessions", Ct)).StatusCode);
    }

    [Fact]
    public async Task Brute_force_locks_the_account_and_every_attempt_is_in_the_audit_log()
    {
        var admin = await App.AdminClientAsync();
        var id = await UserAsync(admin, "brute");
        for (var i = 0; i < 5; i++)
        {
            await AssertProblemAsync(await TokenAsync("brute", "Wrong-Passw0rd-" + i), HttpStatusCode.Unauthorized);
        }

        var locked = await AssertProblemAsync(await TokenAsync("brute", Password), HttpStatusCode.Unauthorized);
        Assert.Equal("Account locked.", locked.GetProperty("title").GetString());
        await AssertProblemAsync(await TokenAsync("nobody-at-all", Password), HttpStatusCode.Unauthorized);

        var failed = await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?action=auth.sign-in-failed&subjectId={id}", Ct));
        Assert.Equal(4, failed.GetProperty("total").GetInt32()); // the fifth wrong password is the one that locks
        var lockedOut = await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?action=auth.locked-out&subjectId={id}", Ct));
        Assert.Equal(2, lockedOut.GetProperty("total").GetInt32());
        var unknown = await ReadJsonAsync(await admin.GetAsync("/api/v1/audit?subjectType=login&text=nobody-at-all", Ct));
        Assert.Equal(1, unknown.GetProperty("total").GetInt32());
        var successes = await ReadJsonAsync(await admin.GetAsync("/api/v1/audit?action=auth.sign-in&subjectType=user", Ct));
        Assert.Equal(1, successes.GetProperty("total").GetInt32()); // the administrator's own, not "-failed" ones

        // The audit log is for administrators; bad filters are named.
        await UserAsync(admin, "reader");
        var reader = await App.SignedInClientAsync("reader", Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/audit", Ct)).StatusCode);
        await AssertInvalidFieldAsync(await admin.GetAsync("/api/v1/audit?pageSize=0", Ct), "pageSize");
        await AssertInvalidFieldAsync(await admin.GetAsync("/api/v1/audit?from=2026-02-01&to=2026-01-01", Ct), "from");
    }

    [Fact]
    public async Task Admin_changes_are_audited_with_values_before_and_after_and_secrets_hidden()
    {
        var admin = await App.AdminClientAsync();
        var id = await UserAsync(admin, "audited", "Before Name");
        (await admin.PutAsJsonAsync($"/api/v1/operators/{id}", new { displayName = "After Name", password = "Another-Passw0rd-2", roles = new[] { "supervisor" } }, Ct))
            .EnsureSuccessStatusCode();
        var records = (await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?subjectType=user&subjectId={id}", Ct))).GetProperty("items").EnumerateArray().ToList();
        // One record per saved change (the account, its password, its roles, its profile), each with before and after.
        var updates = records.Where(r => r.GetProperty("action").GetString() == "user.updated").Select(r => r.GetProperty("details")).ToList();
        var name = updates.Single(d => d.TryGetProperty("displayName", out _)).GetProperty("displayName");
        Assert.Equal("Before Name", name.GetProperty("before").GetString());
        Assert.Equal("After Name", name.GetProperty("after").GetString());
        Assert.Contains(updates, d => d.TryGetProperty("passwordHash", out var hash) && hash.GetProperty("after").GetString() == "(changed)");
        Assert.Contains(updates, d => d.TryGetProperty("parts", out var parts)
                                      && parts.EnumerateArray().Any(p => p.GetProperty("part").GetString() == "IdentityUserRole`1" && p.GetProperty("change").GetString() == "added"));
        Assert.All(records, r => Assert.Equal("Administrator", r.GetProperty("actorName").GetString()));
        Assert.Contains(records, r => r.GetProperty("action").GetString() == "user.created");

        Assert.DoesNotContain("Another-Passw0rd-2", (await admin.GetStringAsync($"/api/v1/audit?subjectId={id}", Ct)), StringComparison.Ordinal);

        // Workstation work (status changes) is not configuration and is not audited.
        var me = await App.SignedInClientAsync("audited", "Another-Passw0rd-2");
        var count = (await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?subjectType=user&subjectId={id}", Ct))).GetProperty("total").GetInt32();
        (await me.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        var after = await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?subjectType=user&subjectId={id}", Ct));
        Assert.Equal(count, after.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Markup_and_line_breaks_in_names_are_stored_as_text_and_weak_passwords_are_refused_by_field()
    {
        var admin = await App.AdminClientAsync();
        const string hostile = "<script>alert(1)</script>";
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/operators", new { login = "weak", password = "short", displayName = "Weak" }, Ct), "password");
        var role = await admin.PostAsJsonAsync("/api/v1/roles", new { name = hostile, permissions = new[] { "reports.view" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, role.StatusCode);
        Assert.Equal(hostile, (await ReadJsonAsync(role)).GetProperty("name").GetString());
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/roles", new { name = "Line\r\nBreak", permissions = new[] { "reports.view" } }, Ct), "name");
        await AssertInvalidFieldAsync(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Key\r\nX-Injected: 1", scopes = new[] { "export" } }, Ct), "name");
    }
}

public sealed class SqliteAccountSecurityTests() : AccountSecurityTests(DatabaseProvider.Sqlite);

public sealed class PostgresAccountSecurityTests() : AccountSecurityTests(DatabaseProvider.Postgres);

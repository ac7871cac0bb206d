using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;

namespace Omnichat.E2E;

/// <summary>
/// Access control in the console and on my account's page: a supervisor scoped to one team sees only that team's
/// conversations; custom roles, API keys (secret shown once) and the audit log; two-factor enrolment and sign-in with a code.
/// </summary>
public sealed partial class AccessConsoleTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";
    private const string StaffPassword = "E2e-Staff-Passw0rd";

    [Fact]
    public async Task Supervisor_scoped_to_one_group_in_the_console_sees_only_that_groups_conversations()
    {
        // Two teams, each with its own website channel and one conversation waiting (nobody in either team is ready).
        using var api = await Server.AdminAsync();
        var (groupA, keyA) = await TeamAsync(api, "Команда A", "Сайт A");
        var (_, keyB) = await TeamAsync(api, "Команда B", "Сайт B");
        await WriteAsync(keyA, "Клиент A", "Вопрос про оплату, альфа");
        await WriteAsync(keyB, "Клиент B", "Вопрос про доставку, браво");

        // In the console: a supervisor whose visibility scope is team A only.
        var page = await SignInAsync("/admin/users", "admin", ServerProcess.AdminPassword);
        await page.WaitForSelectorAsync("#admin-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#nav-roles")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-api-keys")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-audit")).ToBeVisibleAsync();
        await page.FillAsync("#user-login", "e2e.sup");
        await page.FillAsync("#user-name", "Супервизор A");
        await page.FillAsync("#user-password", StaffPassword);
        await page.Locator("#user-role-operator").UncheckAsync();
        await page.Locator("#user-role-supervisor").CheckAsync();
        await Assertions.Expect(page.Locator("#user-scope-all")).Not.ToBeCheckedAsync();
        await page.Locator($"#user-scope-group-{groupA}").CheckAsync();
        await page.ClickAsync("#user-save");
        await Assertions.Expect(page.Locator("#user-status")).ToHaveTextAsync("Сохранено");
        var row = page.Locator("tr[data-user='e2e.sup']");
        await Assertions.Expect(row.Locator(".oc-user-roles")).ToHaveTextAsync("Супервизор");
        await Assertions.Expect(row.Locator(".oc-user-scope")).ToHaveTextAsync("Группы: Команда A");
        await Assertions.Expect(row.Locator(".oc-user-2fa")).ToHaveTextAsync("выключен");
        await Assertions.Expect(page.Locator("tr[data-user=admin] .oc-user-scope")).ToHaveTextAsync("Всё");
        var created = (await api.GetFromJsonAsync<JsonElement>("/api/v1/operators", Ct)).EnumerateArray().Single(o => o.GetProperty("login").GetString() == "e2e.sup");
        var scope = created.GetProperty("scope");
        Assert.False(scope.GetProperty("all").GetBoolean());
        Assert.Equal(groupA, Assert.Single(scope.GetProperty("skillGroupIds").EnumerateArray()).GetGuid());

        // The supervisor finds every conversation they may see: team A's, never team B's.
        var sup = await SignInAsync("/workstation", "e2e.sup", StaffPassword);
        await Assertions.Expect(sup.Locator("#operator-name")).ToHaveTextAsync("Супервизор A");
        await sup.WaitForSelectorAsync("body[data-workstation=interactive]");
        await Assertions.Expect(sup.Locator("#admin-link")).ToHaveCountAsync(0);
        await sup.Locator("#find summary").ClickAsync();
        await sup.ClickAsync("#find-go");
        await Assertions.Expect(sup.Locator("#find-total")).ToHaveTextAsync("Найдено: 1");
        var found = sup.Locator(".oc-found");
        await Assertions.Expect(found).ToHaveCountAsync(1);
        await Assertions.Expect(found.First).ToContainTextAsync("Клиент A");
        await Assertions.Expect(found.First).ToContainTextAsync("Сайт A");
        var everything = await api.GetFromJsonAsync<JsonElement>("/api/v1/conversations?scope=all&search=браво", Ct);
        Assert.Equal(1, everything.GetProperty("total").GetInt32()); // the administrator sees team B's conversation
        await sup.FillAsync("#find-search", "браво");
        await sup.ClickAsync("#find-go");
        await Assertions.Expect(sup.Locator("#find-total")).ToHaveTextAsync("Найдено: 0");
        await Assertions.Expect(sup.Locator(".oc-found")).ToHaveCountAsync(0);

        // The console is not theirs.
        await sup.GotoAsync("/admin/users");
        await Assertions.Expect(sup.Locator("#access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(sup.Locator("#users")).ToHaveCountAsync(0);

        // The administrator finds the creation in the audit log, the details as before → after lines of text.
        await page.ClickAsync("#nav-audit");
        await page.WaitForURLAsync("**/admin/audit");
        await Assertions.Expect(page.Locator("#audit tbody tr").First).ToBeVisibleAsync();
        await page.FillAsync("#audit-action", "user.created");
        await page.FillAsync("#audit-subject-id", created.GetProperty("id").GetString()!);
        await page.ClickAsync("#audit-go");
        // The account and its operator profile are saved one after the other: each writes its own record.
        await Assertions.Expect(page.Locator("#audit tbody tr[data-action='user.created']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#audit tbody tr:not([data-action='user.created'])")).ToHaveCountAsync(0);
        var record = page.Locator("#audit tbody tr").Filter(new() { Has = page.Locator(".oc-audit-details li", new() { HasTextRegex = LoginLine() }) });
        await Assertions.Expect(record).ToHaveCountAsync(1);
        await Assertions.Expect(record.Locator(".oc-audit-actor")).ToHaveTextAsync("Administrator");
        await Assertions.Expect(record.Locator(".oc-audit-subject")).ToContainTextAsync(created.GetProperty("id").GetString()!);
        await Assertions.Expect(record.Locator(".oc-audit-details li").Filter(new() { HasTextRegex = new Regex("^displayName: ") })).ToHaveTextAsync("displayName: Супервизор A");
        await Assertions.Expect(page.Locator("#audit .oc-audit-details li").Filter(new() { HasTextString = "passwordHash:" })).ToHaveTextAsync("passwordHash: (changed)");

        // A period that ends before it starts is explained, not thrown.
        await page.FillAsync("#audit-from", "2026-12-31");
        await page.FillAsync("#audit-to", "2026-01-01");
        await page.ClickAsync("#audit-go");
        await Assertions.Expect(page.Locator("#audit-errors [data-field=from]")).ToContainTextAsync("'from' must not be after 'to'");

        // Signing the supervisor out everywhere asks first; then their workstation has to sign in again.
        await page.ClickAsync("#nav-users");
        await page.WaitForURLAsync("**/admin/users");
        await row.Locator(".oc-user-signout").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync("Супервизор A");
        await page.ClickAsync("#confirm-yes");
        await Assertions.Expect(page.Locator("#users-status")).ToContainTextAsync("e2e.sup");
        await sup.GotoAsync("/workstation");
        await sup.WaitForURLAsync("**/account/login**");
    }

    [Fact]
    public async Task Custom_role_is_offered_for_users_and_an_api_key_shows_its_secret_once()
    {
        var page = await SignInAsync("/admin/roles", "admin", ServerProcess.AdminPassword);
        await page.WaitForSelectorAsync("#admin-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });

        // Built-in roles are listed, marked and not editable.
        var administrator = page.Locator("#roles tr[data-role=administrator]");
        await Assertions.Expect(administrator.Locator(".oc-role-kind")).ToHaveTextAsync("встроенная");
        await Assertions.Expect(administrator.Locator(".oc-role-members")).ToHaveTextAsync("1");
        await Assertions.Expect(administrator.Locator(".oc-role-edit")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("label").Filter(new() { Has = page.Locator("#role-perm-reports-view") }))
            .ToContainTextAsync("Видеть панели и отчёты своей области видимости.");

        // A custom role: refused without a name, then saved with one permission.
        await page.Locator("#role-perm-reports-view").CheckAsync();
        await page.ClickAsync("#role-save");
        await Assertions.Expect(page.Locator("#role-errors [data-field=name]")).ToContainTextAsync("Название");
        var roleName = "Отчёты " + Hostile;
        await page.FillAsync("#role-name", roleName);
        await page.ClickAsync("#role-save");
        await Assertions.Expect(page.Locator("#role-status")).ToHaveTextAsync("Сохранено");
        var role = page.Locator("#roles tbody tr").Filter(new() { HasText = roleName });
        await Assertions.Expect(role.Locator(".oc-role-name")).ToHaveTextAsync(roleName);
        await Assertions.Expect(role.Locator(".oc-role-kind")).ToHaveTextAsync("собственная");
        await Assertions.Expect(role.Locator(".oc-role-permissions")).ToHaveTextAsync("Просмотр отчётов");
        await Assertions.Expect(role.Locator(".oc-role-members")).ToHaveTextAsync("0");

        // Editing it adds a permission.
        await role.Locator(".oc-role-edit").ClickAsync();
        await Assertions.Expect(page.Locator("#role-perm-reports-view")).ToBeCheckedAsync();
        await page.Locator("#role-perm-reports-export").CheckAsync();
        await page.ClickAsync("#role-save");
        await Assertions.Expect(role.Locator(".oc-role-permissions")).ToHaveTextAsync("Просмотр отчётов, Выгрузка");

        // The users form offers it; a user is created with it alone.
        await page.ClickAsync("#nav-users");
        await page.WaitForURLAsync("**/admin/users");
        var offered = page.Locator("#user-roles label").Filter(new() { HasText = roleName });
        await Assertions.Expect(offered).ToHaveCountAsync(1);
        await page.FillAsync("#user-login", "e2e.reports");
        await page.FillAsync("#user-name", "Аналитик отчётов");
        await page.FillAsync("#user-password", StaffPassword);
        await page.Locator("#user-role-operator").UncheckAsync();
        await offered.Locator("input[type=checkbox]").CheckAsync();
        await page.ClickAsync("#user-save");
        await Assertions.Expect(page.Locator("#user-status")).ToHaveTextAsync("Сохранено");
        await Assertions.Expect(page.Locator("tr[data-user='e2e.reports'] .oc-user-roles")).ToHaveTextAsync(roleName);

        // Deleting a role somebody holds asks first, then is refused with the server's reason.
        await page.ClickAsync("#nav-roles");
        await page.WaitForURLAsync("**/admin/roles");
        await Assertions.Expect(role.Locator(".oc-role-members")).ToHaveTextAsync("1");
        await role.Locator(".oc-role-delete").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync(roleName);
        await page.ClickAsync("#confirm-yes");
        await Assertions.Expect(page.Locator("#roles-errors")).ToContainTextAsync("hold this role");
        await Assertions.Expect(page.Locator("#roles tbody tr").Filter(new() { HasText = roleName })).ToHaveCountAsync(1);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));

        // An API key: refused without scopes, then created; its secret is shown once.
        await page.ClickAsync("#nav-api-keys");
        await page.WaitForURLAsync("**/admin/api-keys");
        await Assertions.Expect(page.Locator("#api-keys-empty")).ToBeVisibleAsync();
        var keyName = "BI " + Hostile;
        await page.FillAsync("#key-name", keyName);
        await page.ClickAsync("#key-save");
        await Assertions.Expect(page.Locator("#key-errors [data-field=scopes]")).ToContainTextAsync("Права ключа");
        await page.Locator("#key-scopes-conversations-read").CheckAsync();
        await page.Locator("#key-visibility-all").CheckAsync();
        await Assertions.Expect(page.Locator("#key-visibility-group")).ToHaveCountAsync(0);
        var expires = DateTime.Today.AddDays(30);
        await page.FillAsync("#key-expires", expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.ClickAsync("#key-save");
        var secretBox = page.Locator("#api-key-secret");
        await Assertions.Expect(secretBox).ToContainTextAsync(keyName);
        await Assertions.Expect(page.Locator("#api-key-secret-value")).ToHaveTextAsync(KeyPattern());
        var secret = (await page.Locator("#api-key-secret-value").TextContentAsync())!.Trim();

        var key = page.Locator("#api-keys tbody tr");
        await Assertions.Expect(key).ToHaveCountAsync(1);
        var prefix = (await key.Locator(".oc-key-prefix").TextContentAsync())!.Trim();
        Assert.StartsWith(prefix + "_", secret, StringComparison.Ordinal);
        await Assertions.Expect(key.Locator(".oc-key-name")).ToHaveTextAsync(keyName);
        await Assertions.Expect(key.Locator(".oc-key-scopes")).ToHaveTextAsync("conversations:read");
        await Assertions.Expect(key.Locator(".oc-key-visibility")).ToHaveTextAsync("Всё");
        await Assertions.Expect(key.Locator(".oc-key-expires")).ToContainTextAsync(expires.AddDays(1).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture));
        await Assertions.Expect(key.Locator(".oc-key-state")).ToHaveTextAsync("Действует");

        // The key works; once hidden the secret is nowhere on the page, and not after a reload either.
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", secret);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/conversations", Ct)).StatusCode);
        await page.ClickAsync("#api-key-secret-hide");
        await Assertions.Expect(secretBox).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#admin-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator($"#api-keys tr[data-key='{prefix}']")).ToHaveCountAsync(1);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));

        // Revoking asks first; confirmed, the key stops working at once.
        await key.Locator(".oc-key-revoke").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync(prefix);
        await page.ClickAsync("#confirm-no");
        await Assertions.Expect(key).ToHaveAttributeAsync("data-active", "true");
        await key.Locator(".oc-key-revoke").ClickAsync();
        await page.ClickAsync("#confirm-yes");
        await Assertions.Expect(key.Locator(".oc-key-state")).ToHaveTextAsync("Отозван");
        await Assertions.Expect(key.Locator(".oc-key-revoke")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/conversations", Ct)).StatusCode);
    }

    [Fact]
    public async Task Operator_turns_two_factor_on_and_then_signs_in_with_a_code()
    {
        var page = await SignInOperatorAsync("operator1", "Operator1-demo");
        await page.ClickAsync("#account-link");
        await page.WaitForURLAsync("**/account/security");
        await page.WaitForSelectorAsync("#account-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#two-factor-state")).ToHaveAttributeAsync("data-enabled", "false");
        var current = page.Locator("#sessions tr[data-current=true]");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        await Assertions.Expect(current.Locator(".oc-session-kind")).ToContainTextAsync("этот сеанс");
        await Assertions.Expect(current.Locator(".oc-session-browser")).ToContainTextAsync("Chrome");

        // Enrol: the QR code and the secret; a wrong code is refused naming the field, the right one turns it on.
        await page.ClickAsync("#two-factor-enrol");
        await Assertions.Expect(page.Locator("#two-factor-qr svg")).ToBeVisibleAsync();
        var secret = (await page.Locator("#two-factor-secret").TextContentAsync())!.Replace(" ", "", StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await page.FillAsync("#two-factor-code", totp.ComputeTotp() == "000000" ? "111111" : "000000");
        await page.ClickAsync("#two-factor-confirm");
        await Assertions.Expect(page.Locator("#two-factor-errors [data-field=code]")).ToContainTextAsync("Код");
        await Assertions.Expect(page.Locator("#two-factor-code")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.FillAsync("#two-factor-code", totp.ComputeTotp());
        await page.ClickAsync("#two-factor-confirm");
        await Assertions.Expect(page.Locator("#recovery-codes-list li")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#two-factor-state")).ToHaveAttributeAsync("data-enabled", "true");
        await Assertions.Expect(page.Locator("#two-factor-state")).ToContainTextAsync("10");
        await page.ClickAsync("#recovery-codes-hide");
        await Assertions.Expect(page.Locator("#recovery-codes")).ToHaveCountAsync(0);

        // Sign out; signing in again asks for the code after the password.
        await page.ClickAsync("#account-logout");
        await page.WaitForURLAsync("**/account/login");
        await page.FillAsync("#login", "operator1");
        await page.FillAsync("#password", "Operator1-demo");
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator(".oc-login-error")).ToHaveTextAsync("Введите код двухфакторной аутентификации.");
        await Assertions.Expect(page.Locator("#code")).ToBeVisibleAsync();
        await page.FillAsync("#login", "operator1");
        await page.FillAsync("#password", "Operator1-demo");
        await page.FillAsync("#code", totp.ComputeTotp());
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/workstation");
        await Assertions.Expect(page.Locator("#operator-name")).ToHaveTextAsync("Анна Смирнова");

        // "Sign out everywhere" asks first and lands on the sign-in page; the old cookie no longer opens the workstation.
        await page.GotoAsync("/account/security");
        await page.WaitForSelectorAsync("#account-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#two-factor-state")).ToHaveAttributeAsync("data-enabled", "true");
        await page.ClickAsync("#sign-out-everywhere");
        await page.ClickAsync("#confirm-yes");
        await page.WaitForURLAsync("**/account/login");
        await page.GotoAsync("/workstation");
        await page.WaitForURLAsync("**/account/login**");
    }

    /// <summary>A skill group with its own website channel; returns the group's id and the channel's key.</summary>
    private static async Task<(Guid Group, string Key)> TeamAsync(HttpClient api, string group, string channel)
    {
        var created = await api.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = channel }, Ct);
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var saved = await api.PostAsJsonAsync("/api/v1/skill-groups", new { name = group, channelIds = new[] { body.GetProperty("id").GetGuid() } }, Ct);
        saved.EnsureSuccessStatusCode();
        return ((await saved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    /// <summary>A client of the channel writes a message (a conversation starts).</summary>
    private async Task WriteAsync(string channelKey, string name, string text)
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await (await client.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey, user = new { name } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text }, Ct)).EnsureSuccessStatusCode();
    }

    [GeneratedRegex(@"^login: e2e\.sup$")]
    private static partial Regex LoginLine();

    [GeneratedRegex("^oc_[A-Za-z0-9]+_.{16,}$")]
    private static partial Regex KeyPattern();
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>
/// The administration console (/admin): the demo administrator sets up skill groups, staff, branches, regions,
/// channels and routing; refusals name the field, names are text, destructive actions ask first; ru/en.
/// </summary>
public sealed class AdminConsoleTests : E2ETestBase
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Administrator_creates_a_group_and_a_user_who_signs_in_and_disabling_asks_first()
    {
        var page = await SignInAdministratorAsync("/admin");
        await Assertions.Expect(page.Locator("#card-users")).ToBeVisibleAsync();

        // A skill group: refused without a name (the field is named), then saved with the demo channel.
        await page.ClickAsync("#nav-skill-groups");
        await page.WaitForURLAsync("**/admin/skill-groups");
        await Assertions.Expect(page.Locator("#skill-groups tbody tr")).ToHaveCountAsync(1); // the demo group
        await page.ClickAsync("#group-save");
        await Assertions.Expect(page.Locator("#group-errors [data-field=name]")).ToContainTextAsync("Название");
        await Assertions.Expect(page.Locator("#group-name")).ToHaveAttributeAsync("aria-invalid", "true");

        var groupName = "Поддержка " + Hostile;
        await page.FillAsync("#group-name", groupName);
        await page.Locator("#group-channel").GetByLabel("Сайт (демо)").CheckAsync();
        await page.SelectOptionAsync("#group-strategy", "RoundRobin");
        await page.FillAsync("#group-wrapup", "15");
        await page.FillAsync("#group-resolution-codes", "Решено\nНе решено");
        await page.ClickAsync("#group-save");
        await Assertions.Expect(page.Locator("#group-status")).ToHaveTextAsync("Сохранено");
        var groupRow = page.Locator("#skill-groups tbody tr").Filter(new() { HasText = groupName });
        await Assertions.Expect(groupRow.Locator(".oc-group-name")).ToHaveTextAsync(groupName);
        await Assertions.Expect(groupRow.Locator(".oc-group-strategy")).ToHaveTextAsync("По очереди");
        await Assertions.Expect(groupRow.Locator(".oc-group-channels")).ToHaveTextAsync("Сайт (демо)");

        using var api = await Server.AdminAsync();
        var groups = await api.GetFromJsonAsync<JsonElement>("/api/v1/skill-groups", Ct);
        var group = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == groupName);
        Assert.Equal(15, group.GetProperty("wrapUpSeconds").GetInt32());
        Assert.Equal(2, group.GetProperty("resolutionCodes").GetArrayLength());
        Assert.Equal(1, group.GetProperty("channelIds").GetArrayLength());

        // A user in that group: refused without a password, then created.
        await page.ClickAsync("#nav-users");
        await page.WaitForURLAsync("**/admin/users");
        var userName = "Агент " + Hostile;
        await page.FillAsync("#user-login", "e2e.agent");
        await page.FillAsync("#user-name", userName);
        await page.FillAsync("#user-email", "agent@example.com");
        await page.ClickAsync("#user-save");
        await Assertions.Expect(page.Locator("#user-errors [data-field=password]")).ToContainTextAsync("Пароль");

        await page.FillAsync("#user-password", "E2e-Agent-Passw0rd");
        var membership = page.Locator("#user-groups .oc-admin-level").Filter(new() { HasText = groupName });
        await membership.Locator("input[type=checkbox]").CheckAsync();
        await Assertions.Expect(membership.Locator("input[type=number]")).ToBeEnabledAsync();
        await membership.Locator("input[type=number]").FillAsync("7");
        await page.FillAsync("#user-capacity", "4");
        await page.ClickAsync("#user-save");
        await Assertions.Expect(page.Locator("#user-status")).ToHaveTextAsync("Сохранено");
        var row = page.Locator("tr[data-user='e2e.agent']");
        await Assertions.Expect(row.Locator(".oc-user-name")).ToHaveTextAsync(userName);
        await Assertions.Expect(row.Locator(".oc-user-groups")).ToHaveTextAsync(groupName + " (7)");
        await Assertions.Expect(row.Locator(".oc-user-roles")).ToHaveTextAsync("Оператор");
        await Assertions.Expect(row.Locator(".oc-user-capacity")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#users img")).ToHaveCountAsync(0);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));

        // Disabling asks first; "cancel" leaves the account as it was.
        await row.Locator(".oc-user-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync(userName);
        await page.ClickAsync("#confirm-no");
        await Assertions.Expect(page.Locator("#confirm-text")).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-enabled", "true");

        // The new user signs in to the workstation (their name as text); the console is not theirs.
        var agent = await SignInAsync("/workstation", "e2e.agent", "E2e-Agent-Passw0rd");
        await Assertions.Expect(agent.Locator("#operator-name")).ToHaveTextAsync(userName);
        await agent.WaitForSelectorAsync("body[data-workstation=interactive]");
        await Assertions.Expect(agent.Locator("#admin-link")).ToHaveCountAsync(0);
        Assert.Equal("undefined", await agent.EvaluateAsync<string>("() => typeof window.__xss"));
        await agent.GotoAsync("/admin/users");
        await Assertions.Expect(agent.Locator("#access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(agent.Locator("#users")).ToHaveCountAsync(0);

        using var agentApi = await Server.SignedInAsync("e2e.agent", "E2e-Agent-Passw0rd");
        var me = await agentApi.GetAsync("/api/v1/operators", Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, me.StatusCode);
        var created = (await api.GetFromJsonAsync<JsonElement>("/api/v1/operators", Ct)).EnumerateArray().Single(o => o.GetProperty("login").GetString() == "e2e.agent");
        Assert.Equal(7, created.GetProperty("skillGroups")[0].GetProperty("level").GetInt32());
        Assert.Equal("agent@example.com", created.GetProperty("email").GetString());

        // Confirmed, the account is disabled and can no longer sign in.
        await row.Locator(".oc-user-toggle").ClickAsync();
        await page.ClickAsync("#confirm-yes");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-enabled", "false");
        await Assertions.Expect(page.Locator("#users-status")).ToContainTextAsync("e2e.agent");
        var again = await (await NewContextAsync()).NewPageAsync();
        await again.GotoAsync("/account/login");
        await again.FillAsync("#login", "e2e.agent");
        await again.FillAsync("#password", "E2e-Agent-Passw0rd");
        await again.ClickAsync("#sign-in");
        await Assertions.Expect(again.Locator(".oc-login-error")).ToHaveTextAsync("Неверный логин или пароль.");

        // The administrator's own row cannot be disabled from here.
        await Assertions.Expect(page.Locator("tr[data-user=admin] .oc-user-toggle")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Console_speaks_english_after_the_switch_and_the_workstation_links_to_it()
    {
        var page = await SignInAdministratorAsync("/workstation");
        await page.WaitForSelectorAsync("body[data-workstation=interactive]");
        await page.ClickAsync("#admin-link");
        await page.WaitForURLAsync("**/admin");
        await page.ClickAsync("#nav-users");
        await page.WaitForURLAsync("**/admin/users");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Сотрудники");
        await Assertions.Expect(page.Locator("tr[data-user=operator1] .oc-user-roles")).ToHaveTextAsync("Оператор");

        await page.ClickAsync("#admin-lang");
        await page.WaitForURLAsync("**/admin/users");
        await page.WaitForSelectorAsync("#admin-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Staff accounts");
        await Assertions.Expect(page.Locator("label[for=user-login]")).ToHaveTextAsync("Login");
        await Assertions.Expect(page.Locator("#user-save")).ToHaveTextAsync("Save");
        await Assertions.Expect(page.Locator("#nav-skill-groups")).ToHaveTextAsync("Skill groups");
        await Assertions.Expect(page.Locator("tr[data-user=operator1] .oc-user-roles")).ToHaveTextAsync("Operator");
        await Assertions.Expect(page.Locator("tr[data-user=operator1] .oc-user-toggle")).ToHaveTextAsync("Disable");
        await Assertions.Expect(page.Locator("#admin-lang")).ToHaveTextAsync("Русский");

        // English stays while moving through the console (same circuit), and a refusal is labelled in English.
        await page.ClickAsync("#nav-routing");
        await page.WaitForURLAsync("**/admin/routing");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Routing");
        await page.ClickAsync("#rule-save");
        await Assertions.Expect(page.Locator("#rule-errors [data-field=skillGroupId]")).ToContainTextAsync("Skill group");
    }

    [Fact]
    public async Task Administrator_sets_up_branches_regions_channels_and_routing()
    {
        var page = await SignInAdministratorAsync("/admin/branches");

        // Branch and region.
        await page.FillAsync("#branch-name", "Северо-Запад");
        await page.FillAsync("#branch-timezone", "Mars/Olympus");
        await page.ClickAsync("#branch-save");
        await Assertions.Expect(page.Locator("#branch-errors [data-field=timeZone]")).ToContainTextAsync("Часовой пояс");
        await page.FillAsync("#branch-timezone", "Europe/Kaliningrad");
        await page.ClickAsync("#branch-save");
        await Assertions.Expect(page.Locator("tr[data-branch='Северо-Запад'] .oc-branch-timezone")).ToHaveTextAsync("Europe/Kaliningrad");
        await page.ClickAsync("#nav-regions");
        await page.WaitForURLAsync("**/admin/regions");
        await page.FillAsync("#region-name", "Калининград");
        await page.SelectOptionAsync("#region-branch", new SelectOptionValue { Label = "Северо-Запад" });
        await page.ClickAsync("#region-save");
        await Assertions.Expect(page.Locator("tr[data-region='Калининград'] .oc-region-branch")).ToHaveTextAsync("Северо-Запад");
        await page.FillAsync("#region-name", "Москва");
        await page.ClickAsync("#region-save");
        await Assertions.Expect(page.Locator("#region-errors [data-field=name]")).ToContainTextAsync("already exists");

        // A Telegram channel: its secret is shown once; the stored token stays masked and is kept when the mask comes back.
        await page.ClickAsync("#nav-channels");
        await page.WaitForURLAsync("**/admin/channels");
        var channelName = "Бот " + Hostile;
        await page.SelectOptionAsync("#channel-kind", "Telegram");
        await page.FillAsync("#channel-name", channelName);
        await page.FillAsync("#channel-setting-botToken", "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11");
        await page.FillAsync("#channel-settings-json", "[1]");
        await page.ClickAsync("#channel-save");
        await Assertions.Expect(page.Locator("#channel-errors [data-field=settings]")).ToBeVisibleAsync();
        await page.FillAsync("#channel-settings-json", "{\"apiBaseUrl\": \"http://127.0.0.1:9\"}");
        await page.ClickAsync("#channel-save");
        var secret = page.Locator("#channel-secret-value");
        await Assertions.Expect(secret).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(".{16,}"));
        var first = await secret.TextContentAsync();
        await page.ClickAsync("#channel-secret-hide");
        await Assertions.Expect(page.Locator("#channel-secret")).ToHaveCountAsync(0);

        var channelRow = page.Locator("#channels tbody tr").Filter(new() { HasText = channelName });
        await Assertions.Expect(channelRow.Locator(".oc-channel-name")).ToHaveTextAsync(channelName);
        await channelRow.Locator(".oc-channel-edit").ClickAsync();
        await Assertions.Expect(page.Locator("#channel-setting-botToken")).ToHaveValueAsync("••••ew11");
        await page.SelectOptionAsync("#channel-region", new SelectOptionValue { Label = "Калининград" });
        await page.ClickAsync("#channel-save");
        await Assertions.Expect(page.Locator("#channel-status")).ToHaveTextAsync("Сохранено");
        using var api = await Server.AdminAsync();
        var channel = (await api.GetFromJsonAsync<JsonElement>("/api/v1/channels", Ct)).EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == channelName);
        Assert.Equal("••••ew11", channel.GetProperty("settings").GetProperty("botToken").GetString());
        Assert.Equal("http://127.0.0.1:9", channel.GetProperty("settings").GetProperty("apiBaseUrl").GetString());
        Assert.Equal(JsonValueKind.String, channel.GetProperty("regionId").ValueKind);

        // The vendor checks: a bad address is refused naming the field; an unreachable vendor is reported.
        await channelRow.Locator(".oc-channel-edit").ClickAsync();
        await page.FillAsync("#channel-webhook-url", "ftp://chat.example.com");
        await page.ClickAsync("#channel-webhook");
        await Assertions.Expect(page.Locator("#channel-setup-errors [data-field=url]")).ToContainTextAsync("Публичный адрес сервера");
        await page.ClickAsync("#channel-test");
        await Assertions.Expect(page.Locator("#channel-setup-errors")).ToContainTextAsync("Не получилось", new() { Timeout = 30_000 });

        // Rotating the secret asks first; confirmed, the new secret is shown once.
        await channelRow.Locator(".oc-channel-rotate").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync(channelName);
        await page.ClickAsync("#confirm-no");
        await Assertions.Expect(page.Locator("#channel-secret")).ToHaveCountAsync(0);
        await channelRow.Locator(".oc-channel-rotate").ClickAsync();
        await page.ClickAsync("#confirm-yes");
        await Assertions.Expect(secret).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(".{16,}"));
        Assert.NotEqual(first, await secret.TextContentAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));

        // A routing rule: refused without a group, saved, then deleted after the confirmation.
        await page.ClickAsync("#nav-routing");
        await page.WaitForURLAsync("**/admin/routing");
        await Assertions.Expect(page.Locator("#rules-empty")).ToBeVisibleAsync();
        await page.FillAsync("#rule-topic", "Оплата");
        await page.ClickAsync("#rule-save");
        await Assertions.Expect(page.Locator("#rule-errors [data-field=skillGroupId]")).ToContainTextAsync("Скилл-группа");
        await page.SelectOptionAsync("#rule-group", new SelectOptionValue { Label = "Общие вопросы" });
        await page.SelectOptionAsync("#rule-region", new SelectOptionValue { Label = "Калининград" });
        await page.FillAsync("#rule-priority", "5");
        await page.ClickAsync("#rule-save");
        var ruleRow = page.Locator("#rules tbody tr").Filter(new() { HasText = "Оплата" });
        await Assertions.Expect(ruleRow.Locator(".oc-rule-group")).ToHaveTextAsync("Общие вопросы");
        var rules = await api.GetFromJsonAsync<JsonElement>("/api/v1/routing-rules", Ct);
        Assert.Equal(5, Assert.Single(rules.EnumerateArray()).GetProperty("priority").GetInt32());

        await ruleRow.Locator(".oc-rule-delete").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync("Общие вопросы");
        await page.ClickAsync("#confirm-no");
        await Assertions.Expect(page.Locator("#rules tbody tr")).ToHaveCountAsync(1);
        await ruleRow.Locator(".oc-rule-delete").ClickAsync();
        await page.ClickAsync("#confirm-yes");
        await Assertions.Expect(page.Locator("#rules tbody tr")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#rules-status")).ToHaveTextAsync("Правило удалено");

        // A not-ready reason: a platform code is refused; a new one is added, then disabled.
        await page.FillAsync("#reason-code", "disconnected");
        await page.FillAsync("#reason-name-ru", "Нет связи");
        await page.FillAsync("#reason-name-en", "No link");
        await page.ClickAsync("#reason-save");
        await Assertions.Expect(page.Locator("#reason-errors [data-field=code]")).ToContainTextAsync("Код");
        await page.FillAsync("#reason-code", "coffee");
        await page.FillAsync("#reason-name-ru", "Кофе");
        await page.FillAsync("#reason-name-en", "Coffee");
        await page.ClickAsync("#reason-save");
        var reason = page.Locator("tr[data-reason=coffee]");
        await Assertions.Expect(reason.Locator(".oc-reason-en")).ToHaveTextAsync("Coffee");
        await reason.Locator(".oc-reason-edit").ClickAsync();
        await page.Locator("#reason-enabled").UncheckAsync();
        await page.ClickAsync("#reason-save");
        await Assertions.Expect(reason).ToHaveAttributeAsync("data-enabled", "false");
    }

    /// <summary>Opens <paramref name="path"/>, is sent to sign in, signs in as the demo administrator and comes back.</summary>
    private async Task<IPage> SignInAdministratorAsync(string path)
    {
        var page = await SignInAsync(path, "admin", ServerProcess.AdminPassword);
        if (path.StartsWith("/admin", StringComparison.Ordinal))
        {
            await page.WaitForSelectorAsync("#admin-page[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        }

        return page;
    }
}

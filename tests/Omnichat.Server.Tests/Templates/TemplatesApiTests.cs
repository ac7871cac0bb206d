using System.Net;
using System.Net.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Templates;

/// <summary>Reply templates through the real HTTP pipeline: who sees and manages what, search, favourites, placeholders.</summary>
public abstract class TemplatesApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> CreateAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/v1/templates", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await Scenario.Json(response)).GetProperty("id").GetGuid();
    }

    private static async Task<List<string>> TitlesAsync(HttpClient http, string query = "") =>
        [.. (await Scenario.Json(await http.GetAsync("/api/v1/templates" + query, Ct))).EnumerateArray().Select(t => t.GetProperty("title").GetString()!)];

    [Fact]
    public async Task Operators_see_global_their_groups_and_their_own_templates_and_manage_only_their_own()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, _) = await s.ChannelAsync();
        var sales = await s.GroupAsync("Sales", channel);
        var support = await s.GroupAsync("Support", channel);
        var (_, ann) = await s.OperatorAsync("ann.t", sales);
        var (_, bob) = await s.OperatorAsync("bob.t", support);

        var global = await CreateAsync(s.Admin, new { scope = "global", title = "Приветствие", category = "Общие", text = "Здравствуйте, {client.name}!" });
        await CreateAsync(s.Admin, new { scope = "group", skillGroupId = sales, title = "Скидка", text = "Скидка 10%" });
        await CreateAsync(s.Admin, new { scope = "group", skillGroupId = support, title = "Перезагрузка", text = "Перезагрузите роутер" });
        var annPersonal = await CreateAsync(ann, new { scope = "personal", title = "Моя подпись", text = "С уважением, {operator.name}" });

        Assert.Equal(["Моя подпись", "Приветствие", "Скидка"], (await TitlesAsync(ann)).Order(StringComparer.Ordinal));
        Assert.Equal(["Перезагрузка", "Приветствие"], (await TitlesAsync(bob)).Order(StringComparer.Ordinal));
        // Someone else's personal template does not exist for Bob, nor for the administrator.
        await AssertProblemAsync(await bob.PutAsJsonAsync($"/api/v1/templates/{annPersonal}", new { scope = "personal", title = "x", text = "y" }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await s.Admin.DeleteAsync($"/api/v1/templates/{annPersonal}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await bob.PutAsync($"/api/v1/templates/{annPersonal}/favourite", null, Ct), HttpStatusCode.NotFound);
        // An operator cannot create or change shared templates.
        var refused = await AssertProblemAsync(await ann.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "x", text = "y" }, Ct), HttpStatusCode.Forbidden);
        Assert.Equal("scope", refused.GetProperty("field").GetString());
        await AssertProblemAsync(await ann.PutAsJsonAsync($"/api/v1/templates/{global}", new { scope = "global", title = "Взлом", text = "y" }, Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await ann.DeleteAsync($"/api/v1/templates/{global}", Ct), HttpStatusCode.Forbidden);
        // Ann changes and deletes her own.
        Assert.Equal(HttpStatusCode.OK, (await ann.PutAsJsonAsync($"/api/v1/templates/{annPersonal}", new { scope = "personal", title = "Подпись", text = "—{operator.name}" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync($"/api/v1/templates/{annPersonal}", Ct)).StatusCode);
        Assert.Equal(["Приветствие", "Скидка"], (await TitlesAsync(ann)).Order(StringComparer.Ordinal));
        // Client tokens and anonymous callers get nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/v1/templates", Ct)).StatusCode);
    }

    [Fact]
    public async Task Bad_templates_are_refused_with_the_field_named()
    {
        var s = await Scenario.CreateAsync(App);
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "", text = "x" }, Ct), "title");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "x", text = "" }, Ct), "text");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "x", text = new string('я', 4001) }, Ct), "text");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "group", title = "x", text = "y" }, Ct), "skillGroupId");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "group", skillGroupId = Guid.NewGuid(), title = "x", text = "y" }, Ct), "skillGroupId");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "everyone", title = "x", text = "y" }, Ct), "scope");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/templates", new { scope = "global", title = "a\r\nb", text = "y" }, Ct), "title");
    }

    [Fact]
    public async Task Search_favourites_usage_counts_and_placeholders_filled_in_as_text()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Team", channel);
        var (_, op) = await s.OperatorAsync("olga.t", group);
        const string hostile = "<script>alert(1)</script>";
        var hello = await CreateAsync(s.Admin, new { scope = "global", title = "Приветствие", category = "Общие",
            text = "Здравствуйте, {client.name}! Меня зовут {operator.name}. Номер обращения {conversation.id}, {unknown.thing}, {client.phone}." });
        await CreateAsync(s.Admin, new { scope = "global", title = "Прощание", category = "Общие", text = "Всего доброго!" });
        var delivery = await CreateAsync(s.Admin, new { scope = "global", title = "Доставка", category = "Логистика", text = "Доставка занимает 3 дня" });

        // Search is case-insensitive over title, category and text (Cyrillic included).
        Assert.Equal(["Доставка"], await TitlesAsync(op, "?search=ДОСТАВ"));
        Assert.Equal(["Прощание", "Приветствие"], (await TitlesAsync(op, "?search=общие")).OrderDescending(StringComparer.Ordinal));
        Assert.Equal(["Доставка"], await TitlesAsync(op, "?category=Логистика"));

        // A pinned template comes first; then the most used.
        Assert.Equal(HttpStatusCode.NoContent, (await op.PutAsync($"/api/v1/templates/{delivery}/favourite", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await op.PutAsync($"/api/v1/templates/{delivery}/favourite", null, Ct)).StatusCode);
        Assert.Equal("Доставка", (await TitlesAsync(op))[0]);

        var session = await Scenario.Json(await App.CreateClient().PostAsJsonAsync("/api/client/v1/sessions",
            new { channelKey = key, user = new { name = hostile } }, Ct));
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        var conversation = (await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "m1", text = "Привет" }, Ct)))
            .GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{conversation}", Ct)),
            c => c.GetProperty("status").GetString() == "assigned", "assigned");

        var used = await Scenario.Json(await op.PostAsJsonAsync($"/api/v1/templates/{hello}/use", new { conversationId = conversation }, Ct));
        Assert.Equal($"Здравствуйте, {hostile}! Меня зовут Op olga.t. Номер обращения {conversation}, {{unknown.thing}}, .", used.GetProperty("text").GetString());
        await op.PostAsJsonAsync($"/api/v1/templates/{hello}/use", new { conversationId = conversation }, Ct);
        var list = await Scenario.Json(await op.GetAsync("/api/v1/templates", Ct));
        Assert.Equal(["Доставка", "Приветствие", "Прощание"], list.EnumerateArray().Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(2, list.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == hello).GetProperty("usageCount").GetInt64());
        Assert.True(list[0].GetProperty("favourite").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/api/v1/templates/{delivery}/favourite", Ct)).StatusCode);
        Assert.Equal("Приветствие", (await TitlesAsync(op))[0]);

        // A conversation the operator cannot see, an unknown template: 404, nothing counted.
        var (_, other) = await s.OperatorAsync("petr.t", await s.GroupAsync("Other"));
        await AssertProblemAsync(await other.PostAsJsonAsync($"/api/v1/templates/{hello}/use", new { conversationId = conversation }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await op.PostAsJsonAsync($"/api/v1/templates/{Guid.NewGuid()}/use", new { conversationId = conversation }, Ct), HttpStatusCode.NotFound);
    }
}

public sealed class TemplatesApiTestsOnSqlite() : TemplatesApiTests(DatabaseProvider.Sqlite);

public sealed class TemplatesApiTestsOnPostgres() : TemplatesApiTests(DatabaseProvider.Postgres);

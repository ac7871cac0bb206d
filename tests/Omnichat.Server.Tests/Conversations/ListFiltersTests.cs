using System.Net.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Conversations;

/// <summary>The staff conversation list's filters, search and sorting; bad values name the parameter.</summary>
public abstract class ListFiltersTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<Guid>> IdsAsync(HttpClient http, string query)
    {
        var response = await http.GetAsync("/api/v1/conversations?" + query, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return [.. (await Scenario.Json(response)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];
    }

    [Fact]
    public async Task Filters_search_and_sort_find_exactly_the_matching_conversations_within_my_scope()
    {
        var s = await Scenario.CreateAsync(App);
        var (siteId, site) = await s.ChannelAsync("Сайт");
        var (appId, app) = await s.ChannelAsync("Приложение");
        var sales = await s.GroupAsync("Продажи", siteId);
        var support = await s.GroupAsync("Поддержка", appId);
        var (_, seller) = await s.OperatorAsync("filter.sales", sales, capacity: 10);
        var (_, helper) = await s.OperatorAsync("filter.support", support, capacity: 10);

        var clients = new Dictionary<string, HttpClient>();
        async Task<Guid> ConversationAsync(string key, string visitor, string text)
        {
            var (client, _) = await s.ClientAsync(key);
            clients[visitor] = client;
            var id = (await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "c-" + visitor, text }, Ct)))
                .GetProperty("conversationId").GetGuid();
            await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
                c => c.GetProperty("status").GetString() == "assigned", "assigned");
            return id;
        }

        var hello = await ConversationAsync(site, "v1", "Привет! Где мой ЗАКАЗ?");
        var refund = await ConversationAsync(site, "v2", "Хочу вернуть товар");
        var crash = await ConversationAsync(app, "v3", "Приложение падает при оплате заказа");
        (await seller.PutAsJsonAsync($"/api/v1/conversations/{refund}/tags", new { tags = new[] { "возврат" } }, Ct)).EnsureSuccessStatusCode();

        // Search: every word, any case, Cyrillic included (also on SQLite).
        Assert.Equal([hello], await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("заказ ГДЕ")));
        Assert.Equal([crash, hello], (await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("ЗаКаЗ"))).OrderBy(g => g == hello));
        Assert.Empty(await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("%")));
        // Parts of words match (the index works on trigrams); full-text syntax and quotes are just characters.
        Assert.Equal([crash], await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("АДАЕТ")));
        Assert.Empty(await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("\"заказ OR падает\"")));
        Assert.Empty(await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("NEAR(заказ*")));
        Assert.Equal([crash], await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("оплате\tпадает")));
        await AssertInvalidFieldAsync(await s.Admin.GetAsync("/api/v1/conversations?scope=all&search=" + Uri.EscapeDataString("оплате\u0000"), Ct), "search");
        // Short words: alone they are searched; beside a longer word they are left out.
        Assert.Equal([hello], await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("ой")));
        Assert.Equal([refund], await IdsAsync(s.Admin, "scope=all&search=" + Uri.EscapeDataString("я товар")));
        Assert.Equal([refund], await IdsAsync(s.Admin, "scope=all&tag=" + Uri.EscapeDataString("возврат")));
        Assert.Equal([crash], await IdsAsync(s.Admin, $"scope=all&channelId={appId}"));
        Assert.Equal([crash], await IdsAsync(s.Admin, $"scope=all&skillGroupId={support}"));
        Assert.Empty(await IdsAsync(s.Admin, "scope=all&from=" + Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddHours(1).ToString("O"))));
        Assert.Equal(3, (await IdsAsync(s.Admin, "scope=all&from=2020-01-01&to=2100-01-01")).Count);

        // Rating after close.
        await seller.PostAsJsonAsync($"/api/v1/conversations/{hello}/close", new { }, Ct);
        (await clients["v1"].PostAsJsonAsync("/api/client/v1/rating", new { conversationId = hello, score = 2 }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal([hello], await IdsAsync(s.Admin, "scope=all&rating=2"));
        Assert.Empty(await IdsAsync(s.Admin, "scope=all&rating=5"));

        // Scope still applies: the support operator finds nothing of the sales channel, whatever the filter says.
        Assert.Empty(await IdsAsync(helper, $"scope=all&channelId={siteId}"));
        Assert.Empty(await IdsAsync(helper, "scope=all&search=" + Uri.EscapeDataString("вернуть")));
        Assert.Equal([crash], await IdsAsync(helper, "scope=all&search=" + Uri.EscapeDataString("заказ")));

        // Sorting by waiting time puts the longest-waiting first.
        var waiting = await IdsAsync(s.Admin, "scope=all&sort=waiting&status=assigned");
        Assert.Equal([refund, crash], waiting);

        // Bad values name the parameter.
        await AssertInvalidFieldAsync(await s.Admin.GetAsync("/api/v1/conversations?scope=all&from=2026-02-01&to=2026-01-01", Ct), "from");
        await AssertInvalidFieldAsync(await s.Admin.GetAsync("/api/v1/conversations?scope=all&rating=9", Ct), "rating");
        await AssertInvalidFieldAsync(await s.Admin.GetAsync("/api/v1/conversations?scope=all&sort=price", Ct), "sort");
        await AssertInvalidFieldAsync(await s.Admin.GetAsync("/api/v1/conversations?scope=all&search=" + new string('a', 201), Ct), "search");
        await AssertInvalidFieldAsync(await s.Admin.GetAsync("/api/v1/conversations?scope=all&from=yesterday", Ct), "from");
    }
}

public sealed class ListFiltersTestsOnSqlite() : ListFiltersTests(DatabaseProvider.Sqlite);

public sealed class ListFiltersTestsOnPostgres() : ListFiltersTests(DatabaseProvider.Postgres);

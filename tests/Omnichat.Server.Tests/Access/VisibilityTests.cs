using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Access;

/// <summary>Data visibility: team A's people never see team B's conversations — by id, filter, search, body field, hub argument or key.</summary>
public abstract class VisibilityTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scoped_people_see_their_scope_only_through_lists_filters_search_and_ids()
    {
        var w = await AccessWorld.CreateAsync(App);
        foreach (var who in new[] { "supa", "ana", "key-read" })
        {
            var http = w.People[who];
            var all = await ReadJsonAsync(await http.GetAsync("/api/v1/conversations?scope=all&pageSize=200", Ct));
            var ids = all.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
            Assert.Contains(w.ConversationA, ids);
            Assert.DoesNotContain(w.ConversationB, ids);
            // Asking for team B by filter or by its words gives nothing, not an error that confirms it exists.
            var byGroup = await ReadJsonAsync(await http.GetAsync($"/api/v1/conversations?scope=all&skillGroupId={w.GroupB}", Ct));
            Assert.Equal(0, byGroup.GetProperty("total").GetInt32());
            var bySearch = await ReadJsonAsync(await http.GetAsync("/api/v1/conversations?scope=all&search=bravo", Ct));
            Assert.Equal(0, bySearch.GetProperty("total").GetInt32());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/conversations/{w.ConversationB}/messages", Ct)).StatusCode);
        }

        // The administrator sees both; the unscoped operator B sees nothing of A.
        var adminList = await ReadJsonAsync(await w.S.Admin.GetAsync("/api/v1/conversations?scope=all&pageSize=200", Ct));
        Assert.Equal(2, adminList.GetProperty("items").EnumerateArray().Count(c => c.GetProperty("id").GetGuid() == w.ConversationA || c.GetProperty("id").GetGuid() == w.ConversationB));
        Assert.Equal(HttpStatusCode.NotFound, (await w.People["operatorB"].GetAsync($"/api/v1/conversations/{w.ConversationA}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Foreign_ids_in_paths_and_bodies_change_nothing()
    {
        var w = await AccessWorld.CreateAsync(App);
        var supa = w.People["supa"];
        foreach (var (method, url, body) in new (string, string, object?)[]
                 {
                     ("POST", $"/api/v1/conversations/{w.ConversationB}/messages", new { clientMessageId = "x1", text = "leak?" }),
                     ("POST", $"/api/v1/conversations/{w.ConversationB}/close", new { }),
                     ("PUT", $"/api/v1/conversations/{w.ConversationB}/tags", new { tags = new[] { "x" } }),
                     ("POST", $"/api/v1/conversations/{w.ConversationB}/take-over", null),
                     ("POST", $"/api/v1/conversations/{w.ConversationB}/transfer", new { skillGroupId = w.GroupA }),
                     ("PUT", $"/api/v1/conversations/{w.ConversationB}/client", new { name = "Changed" }),
                 })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await supa.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url} → {(int)response.StatusCode}");
        }

        // A scope wider than mine cannot be handed out; a user outside my scope cannot be changed; the analyst cannot write.
        var usermgr = w.People["usermgr"];
        var wider = await usermgr.PostAsJsonAsync("/api/v1/operators", new { login = "wide", password = AccessWorld.Password, displayName = "Wide", scope = new { all = true } }, Ct);
        Assert.Equal("scope", (await AssertProblemAsync(wider, HttpStatusCode.Forbidden)).GetProperty("field").GetString());
        var escalate = await usermgr.PostAsJsonAsync("/api/v1/operators", new { login = "boss", password = AccessWorld.Password, displayName = "Boss", roles = new[] { "administrator" } }, Ct);
        Assert.Equal("roles", (await AssertProblemAsync(escalate, HttpStatusCode.Forbidden)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await usermgr.PutAsJsonAsync($"/api/v1/operators/{w.OperatorB}", new { displayName = "Hijacked" }, Ct)).StatusCode);
        var unknownGroup = await usermgr.PostAsJsonAsync("/api/v1/operators",
            new { login = "ghost", password = AccessWorld.Password, displayName = "Ghost", scope = new { all = false, skillGroupIds = new[] { Guid.NewGuid() } } }, Ct);
        await AssertInvalidFieldAsync(unknownGroup, "scope.skillGroupIds");
        Assert.Equal(HttpStatusCode.Forbidden, (await w.People["ana"].PostAsJsonAsync($"/api/v1/conversations/{w.ConversationA}/messages",
            new { clientMessageId = "a1", text = "analysts read" }, Ct)).StatusCode);

        await App.InScopeAsync(async db =>
        {
            var b = await db.Conversations.Include(c => c.Messages).SingleAsync(c => c.Id == ConversationId.From(w.ConversationB), Ct);
            Assert.Equal(Core.Conversations.ConversationStatus.Queued, b.Status);
            Assert.Empty(b.Tags);
            Assert.Equal(SkillGroupId.From(w.GroupB), b.SkillGroupId);
            Assert.DoesNotContain(b.Messages, m => m.Text == "leak?");
            Assert.False(await db.Operators.AnyAsync(o => o.Login == "wide" || o.Login == "boss" || o.Login == "ghost" || o.DisplayName == "Hijacked", Ct));
        });
    }

    [Fact]
    public async Task Client_tokens_and_api_keys_do_not_open_staff_endpoints_beyond_their_scopes()
    {
        var w = await AccessWorld.CreateAsync(App);
        Assert.Equal(HttpStatusCode.Unauthorized, (await w.ClientA.GetAsync("/api/v1/conversations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await w.ClientA.GetAsync("/api/v1/operators", Ct)).StatusCode);
        var key = w.People["key-read"];
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync($"/api/v1/conversations/{w.ConversationA}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync("/api/v1/operators", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync("/api/v1/account/sessions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.PostAsJsonAsync($"/api/v1/conversations/{w.ConversationA}/messages",
            new { clientMessageId = "k1", text = "read-only key" }, Ct)).StatusCode);

        // A forged or revoked key is 401.
        var forged = App.CreateClient();
        forged.DefaultRequestHeaders.Add("X-Api-Key", "oc_0123456789ab_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/conversations", Ct)).StatusCode);
        var (created, secret) = await AccessWorld.KeyAsync(w.S.Admin, "Temp", ["conversations:read"], new { all = true });
        var temp = App.CreateClient();
        temp.DefaultRequestHeaders.Authorization = new("ApiKey", secret);
        Assert.Equal(HttpStatusCode.OK, (await temp.GetAsync("/api/v1/conversations?scope=all", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.S.Admin.DeleteAsync($"/api/v1/api-keys/{created.GetProperty("id").GetGuid()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await temp.GetAsync("/api/v1/conversations?scope=all", Ct)).StatusCode);

        // Stored hashed, shown once, last use recorded.
        var listed = await w.S.Admin.GetStringAsync("/api/v1/api-keys", Ct);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        await App.InScopeAsync(async db =>
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Name == "Temp", Ct);
            Assert.NotEqual(secret, row.Hash);
            Assert.DoesNotContain(secret[15..], row.Hash, StringComparison.Ordinal);
            Assert.NotNull(row.LastUsedAt);
            Assert.NotNull(row.RevokedAt);
        });
    }

    [Fact]
    public async Task Supervisors_opening_others_conversations_and_exported_transcripts_are_audited_once()
    {
        var w = await AccessWorld.CreateAsync(App);
        var supa = w.People["supa"];
        Assert.Equal(HttpStatusCode.OK, (await supa.GetAsync($"/api/v1/conversations/{w.ConversationA}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supa.GetAsync($"/api/v1/conversations/{w.ConversationA}", Ct)).StatusCode); // re-read: no second record
        Assert.Equal(HttpStatusCode.OK, (await w.People["operator"].GetAsync($"/api/v1/conversations/{w.ConversationA}", Ct)).StatusCode); // own: not audited
        var opened = await ReadJsonAsync(await w.S.Admin.GetAsync($"/api/v1/audit?action=conversation.open&subjectId={w.ConversationA}", Ct));
        var records = opened.GetProperty("items").EnumerateArray().ToList();
        var record = Assert.Single(records, r => r.GetProperty("actorId").GetString() == w.Ids["supa"].ToString());
        Assert.Equal(w.OperatorA.ToString(), record.GetProperty("relatedId").GetString());
        Assert.DoesNotContain(records, r => r.GetProperty("actorId").GetString() == w.OperatorA.ToString());

        Assert.Equal(HttpStatusCode.Accepted, (await supa.PostAsJsonAsync($"/api/v1/conversations/{w.ConversationA}/transcript", new { email = "client@example.com" }, Ct)).StatusCode);
        var exported = await ReadJsonAsync(await w.S.Admin.GetAsync($"/api/v1/audit?action=conversation.export-transcript&subjectId={w.ConversationA}", Ct));
        Assert.Equal(1, exported.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_hub_argument_with_another_teams_conversation_reaches_nobody()
    {
        var w = await AccessWorld.CreateAsync(App);
        var token = (await ReadJsonAsync(await App.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { login = "supa", password = AccessWorld.Password }, Ct)))
            .GetProperty("accessToken").GetString();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(App.Server.BaseAddress, "/hubs/staff"), o =>
            {
                o.HttpMessageHandlerFactory = _ => App.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }).Build();
        await hub.StartAsync(Ct);
        // Typing into team B's conversation: accepted quietly, delivered to nobody (B's client hears nothing).
        await hub.InvokeAsync("Typing", w.ConversationB, true, Ct);
        Assert.Equal(HubConnectionState.Connected, hub.State);

        // The key without conversation permissions cannot open the hub at all.
        var channelsKey = w.People["key-channels"];
        var negotiate = await channelsKey.PostAsync("/hubs/staff/negotiate?negotiateVersion=1", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
    }
}

public sealed class SqliteVisibilityTests() : VisibilityTests(DatabaseProvider.Sqlite);

public sealed class PostgresVisibilityTests() : VisibilityTests(DatabaseProvider.Postgres);

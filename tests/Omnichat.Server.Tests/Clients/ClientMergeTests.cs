using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Clients;

/// <summary>Omnichannel identity (C4): matches, merge, confirmed contacts, verified sign-in, split, audit and stale sessions.</summary>
public abstract class ClientMergeTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(Scenario S, Guid Channel, string Key, string Secret, Guid Group, Guid OperatorId, HttpClient Op);

    private async Task<World> WorldAsync(string login)
    {
        var s = await Scenario.CreateAsync(App);
        var channel = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/channels", new { kind = "webchat", name = "Сайт" }, Ct));
        var id = channel.GetProperty("id").GetGuid();
        var group = await s.GroupAsync("Клиенты " + login, id);
        var (opId, op) = await s.OperatorAsync(login, group);
        return new World(s, id, channel.GetProperty("key").GetString()!, channel.GetProperty("secret").GetString()!, group, opId, op);
    }

    private static async Task<Guid> WriteAsync(Scenario s, HttpClient client, string id, string text)
    {
        var conversation = (await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = id, text }, Ct)))
            .GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{conversation}", Ct)),
            c => c.GetProperty("status").GetString() == "assigned", "assigned");
        return conversation;
    }

    private static async Task<JsonElement> SessionAsync(World w, string? visitorId, object? user = null)
    {
        var response = await w.S.Admin.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = w.Key, visitorId, user }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Scenario.Json(response);
    }

    private static HttpClient WithToken(OmnichatApp app, JsonElement session)
    {
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        return http;
    }

    private static async Task CloseAsync(HttpClient op, Guid conversation) =>
        (await op.PostAsJsonAsync($"/api/v1/conversations/{conversation}/close", new { }, Ct)).EnsureSuccessStatusCode();

    private static async Task<JsonElement> CardAsync(HttpClient staff, Guid conversation) =>
        await Scenario.Json(await staff.GetAsync($"/api/v1/conversations/{conversation}/client", Ct));

    [Fact]
    public async Task An_operator_merges_a_client_with_the_same_phone_and_its_sessions_continue_on_the_survivor()
    {
        var w = await WorldAsync("merge.op");
        var (earlyClient, earlySession) = await w.S.ClientAsync(w.Key);
        var early = await WriteAsync(w.S, earlyClient, "e1", "Первое обращение");
        (await w.Op.PutAsJsonAsync($"/api/v1/conversations/{early}/client", new { displayName = "Анна", phone = "8 900 123-45-67" }, Ct)).EnsureSuccessStatusCode();
        await CloseAsync(w.Op, early);

        var (lateClient, lateSession) = await w.S.ClientAsync(w.Key);
        var late = await WriteAsync(w.S, lateClient, "l1", "Снова я, с телефона");
        (await w.Op.PutAsJsonAsync($"/api/v1/conversations/{late}/client", new { phone = "+7 (900) 123 45 67" }, Ct)).EnsureSuccessStatusCode();

        // The same number written differently is a match, with its reason; not confirmed, so nothing joined by itself.
        var matches = await Scenario.Json(await w.Op.GetAsync($"/api/v1/conversations/{late}/client/matches", Ct));
        var match = Assert.Single(matches.EnumerateArray());
        var earlyId = earlySession.GetProperty("clientId").GetGuid();
        var lateId = lateSession.GetProperty("clientId").GetGuid();
        Assert.Equal(earlyId, match.GetProperty("id").GetGuid());
        Assert.Equal(["phone"], match.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, match.GetProperty("conversations").GetInt32());
        Assert.Equal(1, (await CardAsync(w.Op, late)).GetProperty("conversations").GetInt32());

        var merged = await Scenario.Json(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{late}/client/merge",
            new { clientId = earlyId, reason = "Тот же телефон, подтвердила по звонку" }, Ct));
        Assert.Equal([early], merged.GetProperty("movedConversations").EnumerateArray().Select(c => c.GetGuid()));
        var card = merged.GetProperty("client");
        Assert.Equal(lateId, card.GetProperty("id").GetGuid());
        Assert.Equal(2, card.GetProperty("conversations").GetInt32());
        Assert.Equal("Анна", card.GetProperty("displayName").GetString()); // the survivor had no name: taken from the merged one
        Assert.Equal(2, card.GetProperty("identities").GetArrayLength());
        var history = await Scenario.Json(await w.Op.GetAsync($"/api/v1/conversations/{late}/history", Ct));
        Assert.Equal(early, Assert.Single(history.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Empty((await Scenario.Json(await w.Op.GetAsync($"/api/v1/conversations/{late}/client/matches", Ct))).EnumerateArray());

        // The merged client's token is stale (401); a new session with its visitor id lands on the survivor and reads both conversations.
        await AssertProblemAsync(await earlyClient.GetAsync("/api/client/v1/messages", Ct), HttpStatusCode.Unauthorized);
        var renewed = await SessionAsync(w, earlySession.GetProperty("visitorId").GetString());
        Assert.Equal(lateId, renewed.GetProperty("clientId").GetGuid());
        Assert.Equal(earlySession.GetProperty("visitorId").GetString(), renewed.GetProperty("visitorId").GetString());
        var earlier = await Scenario.Json(await WithToken(App, renewed).GetAsync($"/api/client/v1/messages?conversationId={early}", Ct));
        Assert.Equal("Первое обращение", earlier.GetProperty("messages")[0].GetProperty("text").GetString());
        (await lateClient.GetAsync("/api/client/v1/messages", Ct)).EnsureSuccessStatusCode(); // the survivor's own session is untouched

        // The audit record, found from either client; operators may not read the audit log.
        foreach (var id in new[] { lateId, earlyId })
        {
            var audit = await Scenario.Json(await w.S.Admin.GetAsync($"/api/v1/clients/{id}/audit", Ct));
            var record = Assert.Single(audit.EnumerateArray());
            Assert.Equal("client.merge", record.GetProperty("action").GetString());
            Assert.Equal(lateId.ToString(), record.GetProperty("subjectId").GetString());
            Assert.Equal(earlyId.ToString(), record.GetProperty("relatedId").GetString());
            Assert.Equal("Op merge.op", record.GetProperty("actorName").GetString());
            Assert.Equal("Тот же телефон, подтвердила по звонку", record.GetProperty("reason").GetString());
            var details = record.GetProperty("details");
            Assert.Equal("Operator", details.GetProperty("trigger").GetString());
            Assert.Equal("Анна", details.GetProperty("merged").GetProperty("displayName").GetString());
            Assert.Equal([early], details.GetProperty("conversations").EnumerateArray().Select(c => c.GetGuid()));
        }

        await AssertProblemAsync(await w.Op.GetAsync($"/api/v1/clients/{lateId}/audit", Ct), HttpStatusCode.Forbidden);

        // Merging it again: an operator no longer sees it (404), an administrator is told it is merged (409).
        await AssertProblemAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{late}/client/merge", new { clientId = earlyId }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await w.S.Admin.PostAsJsonAsync($"/api/v1/conversations/{late}/client/merge", new { clientId = earlyId }, Ct),
            HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Merges_outside_what_I_may_do_are_refused_and_change_nothing()
    {
        var w = await WorldAsync("refuse.op");
        var (aClient, aSession) = await w.S.ClientAsync(w.Key);
        var a = await WriteAsync(w.S, aClient, "a1", "A");
        var (bClient, bSession) = await w.S.ClientAsync(w.Key);
        var b = await WriteAsync(w.S, bClient, "b1", "B");
        var bId = bSession.GetProperty("clientId").GetGuid();
        var aId = aSession.GetProperty("clientId").GetGuid();

        await AssertInvalidFieldAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { }, Ct), "clientId");
        await AssertInvalidFieldAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = aId }, Ct), "clientId");
        await AssertInvalidFieldAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge",
            new { clientId = bId, reason = "a\u0000b" }, Ct), "reason");
        // An operator may merge only a match (the same phone or e-mail): another client's id, or a made-up one, is not found.
        await AssertProblemAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = bId }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = Guid.NewGuid() }, Ct),
            HttpStatusCode.NotFound);
        // Someone from another group sees neither the conversation nor its matches.
        var (_, outsider) = await w.S.OperatorAsync("refuse.out", await w.S.GroupAsync("Чужие"));
        await AssertProblemAsync(await outsider.GetAsync($"/api/v1/conversations/{a}/client/matches", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = bId }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.PostAsJsonAsync($"/api/v1/conversations/{a}/client/split",
            new { conversationIds = new[] { a } }, Ct), HttpStatusCode.NotFound);
        // A client token is not a staff token.
        await AssertProblemAsync(await aClient.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = bId }, Ct), HttpStatusCode.Unauthorized);

        // Even an administrator cannot join two clients who both have an open conversation in one channel.
        await AssertProblemAsync(await w.S.Admin.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = bId }, Ct), HttpStatusCode.Conflict);
        Assert.Equal(1, (await CardAsync(w.Op, a)).GetProperty("conversations").GetInt32());
        Assert.Equal(1, (await CardAsync(w.Op, b)).GetProperty("conversations").GetInt32());
        (await aClient.GetAsync("/api/client/v1/messages", Ct)).EnsureSuccessStatusCode();
        (await bClient.GetAsync("/api/client/v1/messages", Ct)).EnsureSuccessStatusCode();
        Assert.Empty((await Scenario.Json(await w.S.Admin.GetAsync($"/api/v1/clients/{aId}/audit", Ct))).EnumerateArray());

        // Once one of them is closed, the administrator may join any client (no shared contact needed).
        await CloseAsync(w.Op, b);
        var merged = await Scenario.Json(await w.S.Admin.PostAsJsonAsync($"/api/v1/conversations/{a}/client/merge", new { clientId = bId }, Ct));
        Assert.Equal(2, merged.GetProperty("client").GetProperty("conversations").GetInt32());
    }

    [Fact]
    public async Task A_phone_confirmed_by_operators_on_both_clients_joins_them_and_an_unconfirmed_one_stays_a_match()
    {
        var w = await WorldAsync("confirm.op");
        var (first, firstSession) = await w.S.ClientAsync(w.Key);
        var c1 = await WriteAsync(w.S, first, "c1", "Первый");
        var confirmed = await Scenario.Json(await w.Op.PutAsJsonAsync($"/api/v1/conversations/{c1}/client",
            new { phone = "+7 900 111-22-33", phoneConfirmed = true, email = "Olga@Example.com", emailConfirmed = false }, Ct));
        Assert.True(confirmed.GetProperty("phoneConfirmed").GetBoolean());
        Assert.False(confirmed.GetProperty("emailConfirmed").GetBoolean());
        Assert.Empty(confirmed.GetProperty("joinedClients").EnumerateArray());
        await CloseAsync(w.Op, c1);

        var (other, _) = await w.S.ClientAsync(w.Key);
        var c2 = await WriteAsync(w.S, other, "o1", "Другой, тот же e-mail, не подтверждён");
        (await w.Op.PutAsJsonAsync($"/api/v1/conversations/{c2}/client", new { email = "olga@example.com" }, Ct)).EnsureSuccessStatusCode();
        await CloseAsync(w.Op, c2);

        var (second, secondSession) = await w.S.ClientAsync(w.Key);
        var c3 = await WriteAsync(w.S, second, "c3", "Второй");
        var joined = await Scenario.Json(await w.Op.PutAsJsonAsync($"/api/v1/conversations/{c3}/client",
            new { phone = "89001112233", phoneConfirmed = true, email = "olga@example.com" }, Ct));
        Assert.Equal([firstSession.GetProperty("clientId").GetGuid()], joined.GetProperty("joinedClients").EnumerateArray().Select(j => j.GetGuid()));
        Assert.Equal(2, joined.GetProperty("conversations").GetInt32());
        Assert.Equal(secondSession.GetProperty("clientId").GetGuid(), joined.GetProperty("id").GetGuid());

        // The e-mail is shared with a third client, but nobody confirmed it there: a match to merge by hand, not joined.
        var match = Assert.Single((await Scenario.Json(await w.Op.GetAsync($"/api/v1/conversations/{c3}/client/matches", Ct))).EnumerateArray());
        Assert.Equal(["email"], match.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        var audit = Assert.Single((await Scenario.Json(await w.S.Admin.GetAsync(
            $"/api/v1/clients/{secondSession.GetProperty("clientId").GetGuid()}/audit", Ct))).EnumerateArray());
        Assert.Equal("ConfirmedPhone", audit.GetProperty("details").GetProperty("trigger").GetString());

        // Changing a confirmed phone drops the confirmation.
        var changed = await Scenario.Json(await w.Op.PutAsJsonAsync($"/api/v1/conversations/{c3}/client", new { phone = "+7 900 000-00-00" }, Ct));
        Assert.False(changed.GetProperty("phoneConfirmed").GetBoolean());
    }

    [Fact]
    public async Task An_anonymous_visitor_who_signs_in_joins_the_verified_client()
    {
        var w = await WorldAsync("verified.op");
        string Hash(string externalId) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(w.Secret), Encoding.UTF8.GetBytes(externalId)));
        var signedIn = await SessionAsync(w, null, new { externalId = "crm-42", userHash = Hash("crm-42"), name = "Павел" });
        var known = await WriteAsync(w.S, WithToken(App, signedIn), "v1", "Из личного кабинета");
        await CloseAsync(w.Op, known);

        // The same person on another device, first anonymous, then signing in on that device.
        var (anonymous, anonymousSession) = await w.S.ClientAsync(w.Key);
        var asGuest = await WriteAsync(w.S, anonymous, "g1", "Без входа");
        await CloseAsync(w.Op, asGuest);
        var visitorId = anonymousSession.GetProperty("visitorId").GetString();
        var after = await SessionAsync(w, visitorId, new { externalId = "crm-42", userHash = Hash("crm-42") });
        Assert.Equal(signedIn.GetProperty("clientId").GetGuid(), after.GetProperty("clientId").GetGuid());
        Assert.Equal(visitorId, after.GetProperty("visitorId").GetString());
        var asGuestNow = await Scenario.Json(await WithToken(App, after).GetAsync($"/api/client/v1/messages?conversationId={asGuest}", Ct));
        Assert.Equal("Без входа", asGuestNow.GetProperty("messages")[0].GetProperty("text").GetString());
        var record = Assert.Single((await Scenario.Json(await w.S.Admin.GetAsync(
            $"/api/v1/clients/{signedIn.GetProperty("clientId").GetGuid()}/audit", Ct))).EnumerateArray());
        Assert.Equal("VerifiedUser", record.GetProperty("details").GetProperty("trigger").GetString());
        Assert.Equal("System", record.GetProperty("actorKind").GetString(), ignoreCase: true);

        // A wrong hash joins nothing; another verified user on a device that belongs to a verified client gets a new visitor id.
        var forged = await SessionAsync(w, visitorId, new { externalId = "crm-99", userHash = Hash("crm-42") });
        Assert.Equal(signedIn.GetProperty("clientId").GetGuid(), forged.GetProperty("clientId").GetGuid()); // just the visitor, still anonymous to us
        var somebody = await SessionAsync(w, null, new { externalId = "crm-77", userHash = Hash("crm-77") });
        var shared = await SessionAsync(w, visitorId, new { externalId = "crm-77", userHash = Hash("crm-77") });
        Assert.Equal(somebody.GetProperty("clientId").GetGuid(), shared.GetProperty("clientId").GetGuid());
        Assert.NotEqual(visitorId, shared.GetProperty("visitorId").GetString());

        // Both with an open conversation in this channel: no join, no error, a new visitor id for the device.
        var (guest2, guest2Session) = await w.S.ClientAsync(w.Key);
        await WriteAsync(w.S, guest2, "g2", "Гость");
        var open = await WriteAsync(w.S, WithToken(App, await SessionAsync(w, null, new { externalId = "crm-42", userHash = Hash("crm-42") })), "v2", "Открыт");
        Assert.NotEqual(Guid.Empty, open);
        var refused = await SessionAsync(w, guest2Session.GetProperty("visitorId").GetString(), new { externalId = "crm-42", userHash = Hash("crm-42") });
        Assert.Equal(signedIn.GetProperty("clientId").GetGuid(), refused.GetProperty("clientId").GetGuid());
        Assert.NotEqual(guest2Session.GetProperty("visitorId").GetString(), refused.GetProperty("visitorId").GetString());
        (await guest2.GetAsync("/api/client/v1/messages", Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_split_undoes_a_wrong_merge_and_is_audited()
    {
        var w = await WorldAsync("split.op");
        var (a, aSession) = await w.S.ClientAsync(w.Key);
        var ca = await WriteAsync(w.S, a, "a1", "Это Анна");
        await CloseAsync(w.Op, ca);
        var (b, bSession) = await w.S.ClientAsync(w.Key);
        var cb = await WriteAsync(w.S, b, "b1", "Это Борис");
        var aId = aSession.GetProperty("clientId").GetGuid();
        (await w.S.Admin.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/merge", new { clientId = aId }, Ct)).EnsureSuccessStatusCode();
        var card = await CardAsync(w.Op, cb);
        var annasIdentity = card.GetProperty("identities").EnumerateArray()
            .Single(i => i.GetProperty("externalId").GetString() == "visitor:" + aSession.GetProperty("visitorId").GetString()).GetProperty("id").GetGuid();

        // Refusals first: nothing chosen, everything chosen, someone else's conversation or identity, bad contacts.
        await AssertInvalidFieldAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/split", new { }, Ct), "conversationIds");
        await AssertInvalidFieldAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/split",
            new { conversationIds = new[] { ca, cb }, identityIds = card.GetProperty("identities").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()) }, Ct),
            "conversationIds");
        var (stranger, _) = await w.S.ClientAsync(w.Key);
        var foreign = await WriteAsync(w.S, stranger, "s1", "Чужой");
        await AssertProblemAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/split", new { conversationIds = new[] { foreign } }, Ct),
            HttpStatusCode.NotFound);
        var foreignIdentity = (await CardAsync(w.Op, foreign)).GetProperty("identities")[0].GetProperty("id").GetGuid();
        await AssertProblemAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/split", new { identityIds = new[] { foreignIdentity } }, Ct),
            HttpStatusCode.NotFound);
        await AssertInvalidFieldAsync(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/split",
            new { conversationIds = new[] { ca }, email = "not-mail" }, Ct), "email");
        Assert.Equal(2, (await CardAsync(w.Op, cb)).GetProperty("conversations").GetInt32());

        var split = await Scenario.Json(await w.Op.PostAsJsonAsync($"/api/v1/conversations/{cb}/client/split",
            new { conversationIds = new[] { ca }, identityIds = new[] { annasIdentity }, displayName = "Анна", reason = "Разные люди" }, Ct));
        var annaId = split.GetProperty("newClientId").GetGuid();
        Assert.Equal(1, split.GetProperty("movedIdentities").GetInt32());
        Assert.Equal(1, (await CardAsync(w.Op, cb)).GetProperty("conversations").GetInt32());
        var annaCard = await CardAsync(w.Op, ca);
        Assert.Equal(annaId, annaCard.GetProperty("id").GetGuid());
        Assert.Equal("Анна", annaCard.GetProperty("displayName").GetString());

        // Anna's device continues on the new client after renewing; Boris keeps his session.
        var renewed = await SessionAsync(w, aSession.GetProperty("visitorId").GetString());
        Assert.Equal(annaId, renewed.GetProperty("clientId").GetGuid());
        (await b.GetAsync("/api/client/v1/messages", Ct)).EnsureSuccessStatusCode();

        var audit = await Scenario.Json(await w.S.Admin.GetAsync($"/api/v1/clients/{bSession.GetProperty("clientId").GetGuid()}/audit", Ct));
        Assert.Equal(["client.split", "client.merge"], audit.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(annaId.ToString(), audit[0].GetProperty("relatedId").GetString());
        Assert.Equal("Разные люди", audit[0].GetProperty("reason").GetString());
    }
}

public sealed class ClientMergeTestsOnSqlite() : ClientMergeTests(DatabaseProvider.Sqlite);

public sealed class ClientMergeTestsOnPostgres() : ClientMergeTests(DatabaseProvider.Postgres);

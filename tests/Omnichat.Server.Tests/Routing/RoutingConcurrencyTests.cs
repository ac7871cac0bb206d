using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Testing;
using Omnichat.Core.Routing;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Routing;

/// <summary>
/// Many conversations, status changes, closes, accepts and transfers at once — on one node (SQLite) and
/// on two server instances sharing one PostgreSQL, both routing — then the routing invariants are
/// checked against the database: no conversation held twice, every operator's load equal to what they
/// hold and within capacity, and nothing waiting while an eligible operator has room.
/// </summary>
public sealed class RoutingConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invariants_hold_under_concurrent_load_on_one_SQLite_node()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new OmnichatApp(database);
        await RunAsync([app], seed: 1);
    }

    [Fact]
    public async Task Invariants_hold_under_concurrent_load_on_two_nodes_sharing_PostgreSQL()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new OmnichatApp(database);
        _ = first.Server; // migrate and bootstrap once, then start the second node
        await using var second = new OmnichatApp(database, adminPassword: null);
        await RunAsync([first, second], seed: 2);
    }

    private static async Task RunAsync(OmnichatApp[] nodes, int seed)
    {
        var random = new Random(seed);
        var s = await Scenario.CreateAsync(nodes[0]);
        var (channel, key) = await s.ChannelAsync();
        var groups = new List<Guid>();
        var offersGroup = (await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/skill-groups",
            new { name = "Offers", channelIds = Array.Empty<Guid>(), autoAccept = false, offerTimeoutSeconds = 600 }, Ct))).GetProperty("id").GetGuid();
        groups.Add(await s.GroupAsync("Main", channel));
        groups.Add(await s.GroupAsync("Second"));
        groups.Add(offersGroup);

        // 12 operators in one to three groups, capacities 1–3; each signed in on one of the nodes.
        var operators = new List<(Guid Id, HttpClient Client)>();
        for (var i = 0; i < 12; i++)
        {
            var memberOf = groups.Where((_, g) => g == 0 ? i % 3 != 0 : random.Next(2) == 0).ToList();
            var body = await Scenario.Json(await s.Admin.PostAsJsonAsync("/api/v1/operators", new
            {
                login = $"op{i}", password = "Operator-Passw0rd", displayName = $"Op {i}", capacity = 1 + (i % 3),
                skillGroups = memberOf.Select(g => new { skillGroupId = g, level = 1 + random.Next(10) }),
            }, Ct));
            var client = await nodes[i % nodes.Length].SignedInClientAsync($"op{i}", "Operator-Passw0rd");
            operators.Add((body.GetProperty("id").GetGuid(), client));
        }

        // 60 clients write at once through both nodes while operators go ready.
        var writes = Enumerable.Range(0, 60).Select(async i =>
        {
            var http = nodes[i % nodes.Length].CreateClient();
            var session = await Scenario.Json(await http.PostAsJsonAsync("/api/client/v1/sessions", new { channelKey = key }, Ct));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
            await http.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "m" + i, text = "hello " + i }, Ct);
        });
        var readies = operators.Select(o => o.Client.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct));
        await Task.WhenAll(writes.Concat<Task>(readies));
        await Scenario.EventuallyAsync(() => CountAsync(nodes[0], c => c.Status == ConversationStatus.New || c.Status == ConversationStatus.Queued),
            waiting => waiting <= 60 - 15, "the first conversations routed");

        // 300 random operations from all operators at once: status flips, closes, accepts, transfers.
        var operations = Enumerable.Range(0, 300).Select(async n =>
        {
            var (_, client) = operators[Random.Shared.Next(operators.Count)];
            var mine = await Scenario.Json(await client.GetAsync("/api/v1/conversations?scope=mine&status=queued,assigned&pageSize=20", Ct));
            var items = mine.GetProperty("items").EnumerateArray().ToList();
            var pick = items.Count > 0 ? items[Random.Shared.Next(items.Count)].GetProperty("id").GetGuid() : (Guid?)null;
            switch (n % 6)
            {
                case 0:
                    await client.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "not-ready", reason = "break" }, Ct);
                    await client.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct);
                    break;
                case 1 or 2 when pick is { } id:
                    await client.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct);
                    break;
                case 3 when pick is { } id:
                    await client.PostAsJsonAsync($"/api/v1/conversations/{id}/transfer", new { skillGroupId = groups[Random.Shared.Next(groups.Count)] }, Ct);
                    break;
                default:
                    var offers = await Scenario.Json(await s.Admin.GetAsync($"/api/v1/skill-groups/{offersGroup}/queue", Ct));
                    foreach (var offer in offers.GetProperty("items").EnumerateArray().Where(o => o.GetProperty("offeredOperatorId").ValueKind == JsonValueKind.String))
                    {
                        var to = offer.GetProperty("offeredOperatorId").GetGuid();
                        await operators.First(o => o.Id == to).Client.PostAsync($"/api/v1/conversations/{offer.GetProperty("conversationId").GetGuid()}/accept", null, Ct);
                    }

                    break;
            }
        });
        await Task.WhenAll(operations);

        // Everyone ready again; the engine must settle with nothing waiting beside a free eligible operator.
        await Task.WhenAll(operators.Select(o => o.Client.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)));
        await Scenario.EventuallyAsync(() => CountAsync(nodes[0], c => c.Status == ConversationStatus.New), n => n == 0, "every conversation queued");
        await Scenario.EventuallyAsync(() => UnservedAsync(nodes[0]), unserved => unserved.Count == 0, "no conversation waits beside a free eligible operator");
        await AssertConsistentAsync(nodes[0]);
    }

    private static async Task<int> CountAsync(OmnichatApp app, System.Linq.Expressions.Expression<Func<Conversation, bool>> filter)
    {
        var count = 0;
        await app.InScopeAsync(async db => count = await db.Conversations.CountAsync(filter, Ct));
        return count;
    }

    // Conversations the matcher would still give to someone: must be none once routing settled.
    private static async Task<IReadOnlyList<RoutingMatch>> UnservedAsync(OmnichatApp app)
    {
        IReadOnlyList<RoutingMatch> matches = [];
        await app.InScopeAsync(async db => matches = await RoutingAudit.UnservedAsync(db, TimeProvider.System.GetUtcNow(), Ct));
        return matches;
    }

    private static async Task AssertConsistentAsync(OmnichatApp app) =>
        await app.InScopeAsync(async db =>
        {
            var conversations = await db.Conversations.AsNoTracking().ToListAsync(Ct);
            Assert.NotEmpty(conversations);
            Assert.Contains(conversations, c => c.Status == ConversationStatus.Closed);
            Assert.Contains(conversations, c => c.Status == ConversationStatus.Assigned);
            Assert.Empty(await RoutingAudit.LoadViolationsAsync(db, Ct));
            Assert.All(conversations.Where(c => c.Status == ConversationStatus.Queued), c => Assert.Null(c.OperatorId));

            // Each assignment is followed by exactly one way out before the next (closed, transferred).
            var events = await db.ConversationEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.ConversationId, e.Type }).ToListAsync(Ct);
            foreach (var perConversation in events.GroupBy(e => e.ConversationId))
            {
                var holding = false;
                foreach (var e in perConversation)
                {
                    if (e.Type == "assigned")
                    {
                        Assert.False(holding, $"{perConversation.Key} assigned twice without a transfer or close between");
                        holding = true;
                    }
                    else if (e.Type is "closed" or "transferred")
                    {
                        holding = false;
                    }
                }
            }
        });
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Routing;

/// <summary>The routing engine through the real API: strategies, queue, offers, wrap-up, overflow, transfer, bad input.</summary>
public abstract class RoutingApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Scenario S { get; set; } = null!;

    private string Key { get; set; } = "";

    private Guid Channel { get; set; }

    private async Task SetUpAsync()
    {
        S = await Scenario.CreateAsync(App);
        (Channel, Key) = await S.ChannelAsync();
    }

    private async Task<Guid> GroupAsync(string name, object? settings = null, bool connect = true)
    {
        var body = new Dictionary<string, object?> { ["name"] = name, ["channelIds"] = connect ? new[] { Channel } : Array.Empty<Guid>() };
        foreach (var p in settings?.GetType().GetProperties() ?? [])
        {
            body[p.Name] = p.GetValue(settings);
        }

        var response = await S.Admin.PostAsJsonAsync("/api/v1/skill-groups", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Scenario.Json(response)).GetProperty("id").GetGuid();
    }

    /// <summary>A new client writes; returns the conversation id.</summary>
    private async Task<Guid> NewConversationAsync(string text = "Hello")
    {
        var (client, _) = await S.ClientAsync(Key);
        var sent = await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text }, Ct);
        return (await Scenario.Json(sent)).GetProperty("conversationId").GetGuid();
    }

    private Task<JsonElement> ConversationAsync(Guid id) => GetJsonAsync(S.Admin, $"/api/v1/conversations/{id}");

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string url) => await Scenario.Json(await http.GetAsync(url, Ct));

    private Task<JsonElement> UntilAsync(Guid id, Func<JsonElement, bool> done, string what) =>
        Scenario.EventuallyAsync(() => ConversationAsync(id), done, what);

    private static bool Is(JsonElement c, string status) => c.GetProperty("status").GetString() == status;

    private static Guid? OperatorOf(JsonElement c) => c.GetProperty("operatorId").ValueKind == JsonValueKind.Null ? null : c.GetProperty("operatorId").GetGuid();

    private static Guid? OfferedTo(JsonElement c) => c.GetProperty("offeredOperatorId").ValueKind == JsonValueKind.Null ? null : c.GetProperty("offeredOperatorId").GetGuid();

    private async Task<List<string>> EventTypesAsync(Guid id)
    {
        var types = new List<string>();
        await App.InScopeAsync(async db => types.AddRange(await db.ConversationEvents.Where(e => e.ConversationId == ConversationId.From(id))
            .OrderBy(e => e.Id).Select(e => e.Type).ToListAsync(Ct)));
        return types;
    }

    private static async Task SetStatusAsync(HttpClient op, string status, string? reason = null) =>
        (await op.PutAsJsonAsync("/api/v1/operators/me/status", new { status, reason }, Ct)).EnsureSuccessStatusCode();

    [Fact]
    public async Task Least_busy_spreads_conversations_and_the_conversation_shows_group_operator_and_status()
    {
        await SetUpAsync();
        var group = await GroupAsync("Sales");
        var (a, _) = await S.OperatorAsync("ann", group, capacity: 3);
        var (b, _) = await S.OperatorAsync("bob", group, capacity: 3);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await NewConversationAsync());
        }

        var assigned = new List<Guid>();
        foreach (var id in ids)
        {
            var c = await UntilAsync(id, c => Is(c, "assigned"), "assigned");
            Assert.Equal(group, c.GetProperty("skillGroupId").GetGuid());
            assigned.Add(OperatorOf(c)!.Value);
        }

        Assert.Equal(2, assigned.Count(x => x == a));
        Assert.Equal(2, assigned.Count(x => x == b));
        Assert.Equal(["opened", "queued", "assigned"], await EventTypesAsync(ids[0]));
    }

    [Fact]
    public async Task Waits_in_queue_with_position_when_everyone_is_full_and_gets_the_freed_slot()
    {
        await SetUpAsync();
        var group = await GroupAsync("Support");
        var (op, opClient) = await S.OperatorAsync("ann", group, capacity: 1);
        var first = await NewConversationAsync();
        await UntilAsync(first, c => Is(c, "assigned"), "first assigned");
        var second = await NewConversationAsync();
        var third = await NewConversationAsync();
        var waiting = await UntilAsync(third, c => Is(c, "queued"), "third queued");
        Assert.Equal(2, waiting.GetProperty("queuePosition").GetInt32());
        Assert.True(waiting.GetProperty("expectedWaitSeconds").GetInt32() > 0);
        Assert.Equal(1, (await ConversationAsync(second)).GetProperty("queuePosition").GetInt32());

        var queue = await GetJsonAsync(opClient, $"/api/v1/skill-groups/{group}/queue");
        Assert.Equal(2, queue.GetProperty("total").GetInt32());
        Assert.Equal(second, queue.GetProperty("items")[0].GetProperty("conversationId").GetGuid());

        (await opClient.PostAsJsonAsync($"/api/v1/conversations/{first}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var next = await UntilAsync(second, c => Is(c, "assigned"), "second gets the freed slot");
        Assert.Equal(op, OperatorOf(next));
        Assert.True(Is(await ConversationAsync(third), "queued"));
        Assert.Equal(1, (await ConversationAsync(third)).GetProperty("queuePosition").GetInt32());
    }

    [Fact]
    public async Task An_unaccepted_offer_expires_as_missed_sets_the_operator_not_ready_and_goes_to_the_next_operator()
    {
        await SetUpAsync();
        var group = await GroupAsync("Offers", new { autoAccept = false, offerTimeoutSeconds = 5, missedOfferSetsNotReady = true });
        var (ann, annClient) = await S.OperatorAsync("ann", group);
        var (bob, bobClient) = await S.OperatorAsync("bob", group, ready: false);
        var id = await NewConversationAsync();
        var offered = await UntilAsync(id, c => OfferedTo(c) == ann, "offered to ann");
        Assert.True(Is(offered, "queued"));
        await SetStatusAsync(bobClient, "ready");

        var reOffered = await UntilAsync(id, c => OfferedTo(c) == bob, "re-offered to bob after ann's offer expired");
        Assert.True(Is(reOffered, "queued"));
        var annNow = await GetJsonAsync(S.Admin, $"/api/v1/operators/{ann}");
        Assert.Equal("not-ready", annNow.GetProperty("status").GetString());
        Assert.Equal("missed-offer", annNow.GetProperty("statusReason").GetString());
        Assert.Equal(0, annNow.GetProperty("load").GetInt32());

        // Ann's late accept is refused; Bob's is taken.
        await AssertProblemAsync(await annClient.PostAsync($"/api/v1/conversations/{id}/accept", null, Ct), HttpStatusCode.Conflict);
        var accepted = await Scenario.Json(await bobClient.PostAsync($"/api/v1/conversations/{id}/accept", null, Ct));
        Assert.Equal("assigned", accepted.GetProperty("status").GetString());
        Assert.Equal(bob, OperatorOf(accepted));
        Assert.Equal(["opened", "queued", "offered", "missed", "offered", "accepted", "assigned"], await EventTypesAsync(id));
    }

    [Fact]
    public async Task A_declined_offer_goes_to_the_next_operator_and_only_the_offered_operator_may_accept()
    {
        await SetUpAsync();
        var group = await GroupAsync("Decline", new { autoAccept = false, offerTimeoutSeconds = 600 });
        var (ann, annClient) = await S.OperatorAsync("ann", group);
        var id = await NewConversationAsync();
        await UntilAsync(id, c => OfferedTo(c) == ann, "offered to ann");
        var (bob, bobClient) = await S.OperatorAsync("bob", group);
        await AssertProblemAsync(await bobClient.PostAsync($"/api/v1/conversations/{id}/accept", null, Ct), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await annClient.PostAsync($"/api/v1/conversations/{id}/decline", null, Ct)).StatusCode);
        await UntilAsync(id, c => OfferedTo(c) == bob, "offered to bob");
        Assert.Equal(HttpStatusCode.OK, (await bobClient.PostAsync($"/api/v1/conversations/{id}/accept", null, Ct)).StatusCode);
        Assert.Contains("declined", await EventTypesAsync(id));
    }

    [Fact]
    public async Task Wrap_up_after_close_holds_new_work_until_it_ends()
    {
        await SetUpAsync();
        var group = await GroupAsync("Wrap", new { wrapUpSeconds = 2 });
        var (op, opClient) = await S.OperatorAsync("ann", group, capacity: 1);
        var first = await NewConversationAsync();
        await UntilAsync(first, c => Is(c, "assigned"), "assigned");
        var second = await NewConversationAsync();
        await UntilAsync(second, c => Is(c, "queued"), "queued");
        (await opClient.PostAsJsonAsync($"/api/v1/conversations/{first}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var me = await GetJsonAsync(S.Admin, $"/api/v1/operators/{op}");
        Assert.NotEqual(JsonValueKind.Null, me.GetProperty("wrapUpUntil").ValueKind);
        Assert.True(Is(await ConversationAsync(second), "queued"), "no new work during wrap-up");
        var next = await UntilAsync(second, c => Is(c, "assigned"), "assigned after wrap-up");
        Assert.Equal(op, OperatorOf(next));
    }

    [Fact]
    public async Task Ending_wrap_up_early_takes_new_work_at_once()
    {
        await SetUpAsync();
        var group = await GroupAsync("Wrap", new { wrapUpSeconds = 600 });
        var (_, opClient) = await S.OperatorAsync("ann", group, capacity: 1);
        var first = await NewConversationAsync();
        await UntilAsync(first, c => Is(c, "assigned"), "assigned");
        var second = await NewConversationAsync();
        (await opClient.PostAsJsonAsync($"/api/v1/conversations/{first}/close", new { }, Ct)).EnsureSuccessStatusCode();
        var state = await Scenario.Json(await opClient.PostAsync("/api/v1/operators/me/wrap-up/end", null, Ct));
        Assert.Equal("ready", state.GetProperty("state").GetString());
        await UntilAsync(second, c => Is(c, "assigned"), "assigned after ending wrap-up");
    }

    [Fact]
    public async Task Overflow_makes_a_waiting_conversation_eligible_for_the_backup_group()
    {
        await SetUpAsync();
        var backup = await GroupAsync("Backup", connect: false);
        var main = await GroupAsync("Main", new { overflowAfterSeconds = 1, backupGroupIds = new[] { backup } });
        var (helper, _) = await S.OperatorAsync("bob", backup);
        var id = await NewConversationAsync();
        var c = await UntilAsync(id, c => Is(c, "assigned"), "assigned through overflow");
        Assert.Equal(helper, OperatorOf(c));
        Assert.Equal(main, c.GetProperty("skillGroupId").GetGuid());
        Assert.Contains("overflowed", await EventTypesAsync(id));
    }

    [Fact]
    public async Task Below_minimum_level_operators_get_work_only_after_overflow()
    {
        await SetUpAsync();
        var group = await GroupAsync("Experts", new { minSkillLevel = 8, overflowAfterSeconds = 2 });
        var (junior, _) = await S.OperatorAsync("jun", group); // level 5
        var id = await NewConversationAsync();
        await UntilAsync(id, c => Is(c, "queued"), "queued");
        await Task.Delay(500, Ct);
        Assert.True(Is(await ConversationAsync(id), "queued"), "a level-5 operator does not get a min-level-8 group's conversation before overflow");
        var c = await UntilAsync(id, c => Is(c, "assigned"), "assigned after overflow");
        Assert.Equal(junior, OperatorOf(c));
    }

    [Fact]
    public async Task Maximum_queue_time_moves_the_conversation_to_another_group_keeping_its_waiting_time()
    {
        await SetUpAsync();
        var night = await GroupAsync("Night", connect: false);
        await GroupAsync("Day", new { maxQueueSeconds = 1, maxQueueAction = "move-to-group", maxQueueTargetGroupId = night });
        var id = await NewConversationAsync();
        var before = await UntilAsync(id, c => Is(c, "queued"), "queued");
        var moved = await UntilAsync(id, c => c.GetProperty("skillGroupId").GetGuid() == night, "moved to the night group");
        Assert.Equal(before.GetProperty("queuedAt").GetDateTimeOffset(), moved.GetProperty("queuedAt").GetDateTimeOffset());
        var (op, _) = await S.OperatorAsync("owl", night);
        Assert.Equal(op, OperatorOf(await UntilAsync(id, c => Is(c, "assigned"), "assigned in the night group")));
    }

    [Fact]
    public async Task Maximum_queue_time_can_tell_the_client_to_expect_an_answer_later()
    {
        await SetUpAsync();
        await GroupAsync("Day", new { maxQueueSeconds = 1, maxQueueAction = "offline-message", offlineMessage = "We'll write back <b>soon</b>" });
        var (client, _) = await S.ClientAsync(Key);
        await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "m1", text = "hi" }, Ct);
        var history = await Scenario.EventuallyAsync(() => GetJsonAsync(client, "/api/client/v1/messages"),
            h => h.GetProperty("messages").GetArrayLength() == 2, "offline message");
        Assert.Equal("We'll write back <b>soon</b>", history.GetProperty("messages")[1].GetProperty("text").GetString());
        Assert.Equal("queued", history.GetProperty("conversation").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Manual_pick_groups_wait_for_an_operator_to_take_from_the_queue()
    {
        await SetUpAsync();
        var group = await GroupAsync("Pick", new { strategy = "manual" });
        var auto = await GroupAsync("Auto", connect: false);
        var (op, opClient) = await S.OperatorAsync("ann", group);
        var id = await NewConversationAsync();
        await UntilAsync(id, c => Is(c, "queued"), "queued");
        await Task.Delay(300, Ct);
        Assert.True(Is(await ConversationAsync(id), "queued"));
        var queue = await GetJsonAsync(opClient, $"/api/v1/skill-groups/{group}/queue");
        Assert.Equal("manual", queue.GetProperty("strategy").GetString());
        Assert.Equal(id, queue.GetProperty("items")[0].GetProperty("conversationId").GetGuid());

        var picked = await Scenario.Json(await opClient.PostAsync($"/api/v1/conversations/{id}/pick", null, Ct));
        Assert.Equal(op, OperatorOf(picked));
        await AssertProblemAsync(await opClient.PostAsync($"/api/v1/conversations/{id}/pick", null, Ct), HttpStatusCode.Conflict);
        // Another group's queue is not visible to a non-member.
        await AssertProblemAsync(await opClient.GetAsync($"/api/v1/skill-groups/{auto}/queue", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Transfer_to_a_group_requeues_with_the_original_waiting_time_and_the_comment_for_the_receiver()
    {
        await SetUpAsync();
        var first = await GroupAsync("First");
        var second = await GroupAsync("Second", connect: false);
        var (ann, annClient) = await S.OperatorAsync("ann", first);
        var id = await NewConversationAsync();
        var assigned = await UntilAsync(id, c => Is(c, "assigned"), "assigned");
        var response = await annClient.PostAsJsonAsync($"/api/v1/conversations/{id}/transfer", new { skillGroupId = second, comment = "Billing <script>x</script>" }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requeued = await ConversationAsync(id);
        Assert.True(Is(requeued, "queued"));
        Assert.Equal(second, requeued.GetProperty("skillGroupId").GetGuid());
        Assert.Equal(assigned.GetProperty("queuedAt").GetDateTimeOffset(), requeued.GetProperty("queuedAt").GetDateTimeOffset());
        Assert.Equal(0, (await GetJsonAsync(S.Admin, $"/api/v1/operators/{ann}")).GetProperty("load").GetInt32());

        var (bob, _) = await S.OperatorAsync("bob", second);
        Assert.Equal(bob, OperatorOf(await UntilAsync(id, c => Is(c, "assigned"), "assigned in the second group")));
        var messages = await GetJsonAsync(S.Admin, $"/api/v1/conversations/{id}/messages");
        var note = messages.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("note", note.GetProperty("direction").GetString());
        Assert.Equal("↪ Billing <script>x</script>", note.GetProperty("text").GetString());
        Assert.Contains("transferred", await EventTypesAsync(id));
    }

    [Fact]
    public async Task Transfer_to_an_operator_checks_membership_status_and_capacity_unless_a_supervisor_forces_it()
    {
        await SetUpAsync();
        var group = await GroupAsync("Team");
        var other = await GroupAsync("Other", connect: false);
        var (ann, annClient) = await S.OperatorAsync("ann", group, capacity: 2);
        var id = await NewConversationAsync();
        await UntilAsync(id, c => OperatorOf(c) == ann, "assigned to ann");
        var (outsider, _) = await S.OperatorAsync("out", other);
        var (away, _) = await S.OperatorAsync("away", group, ready: false);
        var (full, fullClient) = await S.OperatorAsync("full", group, capacity: 1, ready: false);

        async Task<HttpResponseMessage> Transfer(HttpClient by, object body) => await by.PostAsJsonAsync($"/api/v1/conversations/{id}/transfer", body, Ct);
        await AssertInvalidFieldAsync(await Transfer(annClient, new { operatorId = outsider }), "operatorId");
        await AssertInvalidFieldAsync(await Transfer(annClient, new { operatorId = Guid.NewGuid() }), "operatorId");
        await AssertInvalidFieldAsync(await Transfer(annClient, new { skillGroupId = Guid.NewGuid() }), "skillGroupId");
        await AssertInvalidFieldAsync(await Transfer(annClient, new { }), "operatorId");
        await AssertInvalidFieldAsync(await Transfer(annClient, new { operatorId = away, force = true }), "force");
        await AssertProblemAsync(await Transfer(annClient, new { operatorId = away }), HttpStatusCode.Conflict);
        Assert.Equal(ann, OperatorOf(await ConversationAsync(id))); // state unchanged

        // Fill "full" with their own conversation, then a supervisor forces a transfer over capacity.
        await SetStatusAsync(fullClient, "ready");
        var own = await NewConversationAsync();
        await UntilAsync(own, c => OperatorOf(c) == full, "full's own conversation");
        await AssertProblemAsync(await Transfer(annClient, new { operatorId = full }), HttpStatusCode.Conflict);
        var forced = await Scenario.Json(await Transfer(S.Admin, new { operatorId = full, force = true, comment = "VIP" }));
        Assert.Equal(full, OperatorOf(forced));
        Assert.Equal(2, (await GetJsonAsync(S.Admin, $"/api/v1/operators/{full}")).GetProperty("load").GetInt32());
        Assert.Equal(0, (await GetJsonAsync(S.Admin, $"/api/v1/operators/{ann}")).GetProperty("load").GetInt32());
        // A foreign operator cannot touch it any more.
        await AssertProblemAsync(await Transfer(annClient, new { skillGroupId = group }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_supervisor_takes_a_conversation_over()
    {
        await SetUpAsync();
        var group = await GroupAsync("Team");
        var (ann, annClient) = await S.OperatorAsync("ann", group);
        var id = await NewConversationAsync();
        await UntilAsync(id, c => OperatorOf(c) == ann, "assigned to ann");
        await AssertProblemAsync(await annClient.PostAsync($"/api/v1/conversations/{id}/take-over", null, Ct), HttpStatusCode.Forbidden);
        var taken = await Scenario.Json(await S.Admin.PostAsync($"/api/v1/conversations/{id}/take-over", null, Ct));
        Assert.NotEqual(ann, OperatorOf(taken));
        Assert.Equal("assigned", taken.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Routing_rules_select_the_group_before_the_channel_default()
    {
        await SetUpAsync();
        await GroupAsync("Default");
        var vip = await GroupAsync("VIP", connect: false);
        var rule = await S.Admin.PostAsJsonAsync("/api/v1/routing-rules", new { position = 1, channelId = Channel, skillGroupId = vip, priority = 5 }, Ct);
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        var id = await NewConversationAsync();
        var c = await UntilAsync(id, c => Is(c, "queued"), "queued");
        Assert.Equal(vip, c.GetProperty("skillGroupId").GetGuid());
        Assert.Equal(5, c.GetProperty("priority").GetInt32());

        await AssertInvalidFieldAsync(await S.Admin.PostAsJsonAsync("/api/v1/routing-rules", new { position = 1, skillGroupId = Guid.NewGuid() }, Ct), "skillGroupId");
        await AssertInvalidFieldAsync(await S.Admin.PostAsJsonAsync("/api/v1/routing-rules", new { position = 1, skillGroupId = vip, channelId = Guid.NewGuid() }, Ct), "channelId");
        await AssertInvalidFieldAsync(await S.Admin.PostAsJsonAsync("/api/v1/routing-rules", new { skillGroupId = vip }, Ct), "position");
        var list = await GetJsonAsync(S.Admin, "/api/v1/routing-rules");
        Assert.Equal(1, list.GetArrayLength());
    }

    [Fact]
    public async Task Status_reasons_are_configured_and_every_status_change_is_recorded()
    {
        await SetUpAsync();
        var group = await GroupAsync("Team");
        var (op, opClient) = await S.OperatorAsync("ann", group);
        await AssertInvalidFieldAsync(await opClient.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "not-ready", reason = "nap" }, Ct), "reason");
        var reasons = await GetJsonAsync(opClient, "/api/v1/status-reasons");
        Assert.Contains(reasons.EnumerateArray(), r => r.GetProperty("code").GetString() == "lunch");
        await SetStatusAsync(opClient, "not-ready", "lunch");
        (await S.Admin.PutAsJsonAsync("/api/v1/status-reasons/nap", new { nameRu = "Сон", nameEn = "Nap" }, Ct)).EnsureSuccessStatusCode();
        await SetStatusAsync(opClient, "not-ready", "nap");
        await AssertInvalidFieldAsync(await S.Admin.PutAsJsonAsync("/api/v1/status-reasons/disconnected", new { nameRu = "x", nameEn = "x" }, Ct), "code");
        await AssertInvalidFieldAsync(await S.Admin.PutAsJsonAsync("/api/v1/status-reasons/a%20b", new { nameRu = "x", nameEn = "x" }, Ct), "code");
        Assert.Equal(HttpStatusCode.Forbidden, (await opClient.PutAsJsonAsync("/api/v1/status-reasons/x", new { nameRu = "x", nameEn = "x" }, Ct)).StatusCode);

        var history = new List<(string Status, string? Reason)>();
        await App.InScopeAsync(async db => history.AddRange((await db.OperatorStatusChanges.Where(c => c.OperatorId == OperatorId.From(op)).OrderBy(c => c.Id)
            .ToListAsync(Ct)).Select(c => (c.Status.ToString(), c.Reason))));
        Assert.Equal([("Ready", null), ("NotReady", "lunch"), ("NotReady", "nap")], history);
    }

    [Fact]
    public async Task Bad_group_settings_and_capacities_are_refused_with_the_field_named()
    {
        await SetUpAsync();
        var group = await GroupAsync("Team");
        async Task Bad(object body, string field) => await AssertInvalidFieldAsync(await S.Admin.PostAsJsonAsync("/api/v1/skill-groups", body, Ct), field);
        await Bad(new { name = "X", channelIds = Array.Empty<Guid>(), strategy = "random" }, "strategy");
        await Bad(new { name = "X", channelIds = Array.Empty<Guid>(), offerTimeoutSeconds = 0 }, "offerTimeoutSeconds");
        await Bad(new { name = "X", channelIds = Array.Empty<Guid>(), minSkillLevel = 11 }, "minSkillLevel");
        await Bad(new { name = "X", channelIds = Array.Empty<Guid>(), backupGroupIds = new[] { Guid.NewGuid() } }, "backupGroupIds[0]");
        await Bad(new { name = "X", channelIds = Array.Empty<Guid>(), maxQueueSeconds = 10, maxQueueAction = "move-to-group" }, "maxQueueTargetGroupId");
        await AssertInvalidFieldAsync(await S.Admin.PutAsJsonAsync($"/api/v1/skill-groups/{group}", new { name = "Team", channelIds = new[] { Channel }, backupGroupIds = new[] { group } }, Ct), "backupGroupIds");
        foreach (var capacity in new[] { 0, -1 })
        {
            await AssertInvalidFieldAsync(await S.Admin.PostAsJsonAsync("/api/v1/operators",
                new { login = "c" + Math.Abs(capacity), password = "Operator-Passw0rd", displayName = "C", capacity, skillGroupIds = new[] { group } }, Ct), "capacity");
        }

        await AssertInvalidFieldAsync(await S.Admin.PostAsJsonAsync("/api/v1/operators",
            new { login = "lvl", password = "Operator-Passw0rd", displayName = "L", skillGroups = new[] { new { skillGroupId = group, level = 0 } } }, Ct), "skillGroups");
    }

    [Fact]
    public async Task An_operator_whose_workstation_is_gone_past_the_grace_period_becomes_not_ready()
    {
        await SetUpAsync();
        var group = await GroupAsync("Team");
        var (op, _) = await S.OperatorAsync("ann", group);
        // The last heartbeat was long ago (the node or the browser vanished).
        await App.InScopeAsync(async db =>
        {
            var o = await db.Operators.FirstAsync(x => x.Id == OperatorId.From(op), Ct);
            o.Seen(TimeProvider.System.GetUtcNow().AddHours(-1));
            await db.SaveChangesAsync(Ct);
        });
        var after = await Scenario.EventuallyAsync(() => GetJsonAsync(S.Admin, $"/api/v1/operators/{op}"),
            o => o.GetProperty("status").GetString() == "not-ready", "auto not-ready");
        Assert.Equal("disconnected", after.GetProperty("statusReason").GetString());
    }
}

public sealed class RoutingApiTestsOnSqlite() : RoutingApiTests(DatabaseProvider.Sqlite);

public sealed class RoutingApiTestsOnPostgres() : RoutingApiTests(DatabaseProvider.Postgres);

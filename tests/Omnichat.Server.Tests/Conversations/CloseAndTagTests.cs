using System.Net;
using System.Net.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Conversations;

/// <summary>Resolution codes on close (per group, optionally required) and conversation tags.</summary>
public abstract class CloseAndTagTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> AssignedConversationAsync(Scenario s, string key, string visitor)
    {
        var (client, _) = await s.ClientAsync(key, visitor);
        var id = (await Scenario.Json(await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "m-" + visitor, text = "Помогите" }, Ct)))
            .GetProperty("conversationId").GetGuid();
        await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync($"/api/v1/conversations/{id}", Ct)),
            c => c.GetProperty("status").GetString() == "assigned", "assigned");
        return id;
    }

    [Fact]
    public async Task A_group_with_required_codes_refuses_a_close_without_one_of_them()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var created = await s.Admin.PostAsJsonAsync("/api/v1/skill-groups", new
        {
            name = "Billing", channelIds = new[] { channel }, resolutionCodes = new[] { " Решено ", "Перезвонить", "решено" }, resolutionRequired = true,
        }, Ct);
        var group = await Scenario.Json(created);
        Assert.Equal(["Решено", "Перезвонить"], group.GetProperty("resolutionCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.True(group.GetProperty("resolutionRequired").GetBoolean());
        var (_, op) = await s.OperatorAsync("res.op", group.GetProperty("id").GetGuid());
        var id = await AssignedConversationAsync(s, key, "v-res");

        var missing = await AssertInvalidFieldAsync(await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct), "resolution");
        Assert.Contains("Решено", missing, StringComparison.Ordinal);
        await AssertInvalidFieldAsync(await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { resolution = "<b>Другое</b>" }, Ct), "resolution");
        Assert.Equal("assigned", (await Scenario.Json(await op.GetAsync($"/api/v1/conversations/{id}", Ct))).GetProperty("status").GetString());

        var closed = await Scenario.Json(await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { resolution = "РЕШЕНО" }, Ct));
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal("Решено", closed.GetProperty("resolution").GetString()); // the group's spelling

        // Bad settings: a required resolution without codes, a code with a line break, too many codes.
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/skill-groups",
            new { name = "X", channelIds = Array.Empty<Guid>(), resolutionCodes = Array.Empty<string>(), resolutionRequired = true }, Ct), "resolutionRequired");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/skill-groups",
            new { name = "Y", channelIds = Array.Empty<Guid>(), resolutionCodes = new[] { "a\r\nb" } }, Ct), "resolutionCodes[0]");
        await AssertInvalidFieldAsync(await s.Admin.PostAsJsonAsync("/api/v1/skill-groups",
            new { name = "Z", channelIds = Array.Empty<Guid>(), resolutionCodes = Enumerable.Range(0, 51).Select(i => $"c{i}") }, Ct), "resolutionCodes");
    }

    [Fact]
    public async Task Without_codes_a_close_needs_none_and_refuses_an_invented_one()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Plain", channel);
        var (_, op) = await s.OperatorAsync("plain.op", group);
        var id = await AssignedConversationAsync(s, key, "v-plain");
        await AssertInvalidFieldAsync(await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { resolution = "Решено" }, Ct), "resolution");
        var closed = await Scenario.Json(await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct));
        Assert.Equal(JsonValueKindNull, closed.GetProperty("resolution").ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Tags_are_replaced_cleaned_and_refused_when_invalid_or_not_mine()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync();
        var group = await s.GroupAsync("Tagging", channel);
        var (_, op) = await s.OperatorAsync("tag.op", group);
        var id = await AssignedConversationAsync(s, key, "v-tag");

        var tagged = await Scenario.Json(await op.PutAsJsonAsync($"/api/v1/conversations/{id}/tags", new { tags = new[] { " VIP ", "<script>x</script>", "vip", "возврат" } }, Ct));
        Assert.Equal(["VIP", "<script>x</script>", "возврат"], tagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var listed = await Scenario.Json(await op.GetAsync("/api/v1/conversations?scope=mine", Ct));
        Assert.Equal(3, listed.GetProperty("items")[0].GetProperty("tags").GetArrayLength());

        await AssertInvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/conversations/{id}/tags", new { tags = new[] { new string('x', 51) } }, Ct), "tags[0]");
        await AssertInvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/conversations/{id}/tags", new { tags = Enumerable.Range(0, 21).Select(i => $"t{i}") }, Ct), "tags");
        await AssertInvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/conversations/{id}/tags", new { }, Ct), "tags");
        var (_, other) = await s.OperatorAsync("tag.other", await s.GroupAsync("Elsewhere"));
        await AssertProblemAsync(await other.PutAsJsonAsync($"/api/v1/conversations/{id}/tags", new { tags = new[] { "x" } }, Ct), HttpStatusCode.NotFound);

        // Tags can still be set after closing; clearing them works.
        await op.PostAsJsonAsync($"/api/v1/conversations/{id}/close", new { }, Ct);
        var cleared = await Scenario.Json(await s.Admin.PutAsJsonAsync($"/api/v1/conversations/{id}/tags", new { tags = Array.Empty<string>() }, Ct));
        Assert.Equal(0, cleared.GetProperty("tags").GetArrayLength());
    }
}

public sealed class CloseAndTagTestsOnSqlite() : CloseAndTagTests(DatabaseProvider.Sqlite);

public sealed class CloseAndTagTestsOnPostgres() : CloseAndTagTests(DatabaseProvider.Postgres);

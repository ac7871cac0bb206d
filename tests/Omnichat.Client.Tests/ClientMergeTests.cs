using System.Net.Http.Json;
using Omnichat.Client.Tests.Infrastructure;

namespace Omnichat.Client.Tests;

/// <summary>A device whose client is merged into another (C4) carries on: new session, same visitor id, live messages.</summary>
public sealed class ClientMergeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ServerHost Server => shared.Server;

    [Fact]
    public async Task A_merged_devices_session_is_renewed_onto_the_survivor_and_keeps_receiving()
    {
        var ct = TestContext.Current.CancellationToken;
        var staff = await Staff.ForAsync(Server);
        var channel = await staff.ChannelAsync("Merge app");
        var group = await staff.GroupAsync("Merge", channel.Id);
        var (_, _, op) = await staff.OperatorAsync("mira.sdk", group);

        await using var tablet = TestClients.Create(Server.BaseAddress, channel.Key);
        var onTablet = new Recorder(tablet);
        await tablet.StartAsync(ct);
        var first = await tablet.SendAsync("С планшета", ct);
        await Eventually.HoldsAsync(() => tablet.Conversation, c => c is { Status: ConversationStatus.Assigned }, "the tablet's conversation to be assigned");
        await Staff.CloseAsync(op, first.Message!.ConversationId);
        var tabletVisitor = tablet.Session!.VisitorId;

        await using var phone = TestClients.Create(Server.BaseAddress, channel.Key);
        await phone.StartAsync(ct);
        var second = await phone.SendAsync("С телефона", ct);
        await Eventually.HoldsAsync(() => phone.Conversation, c => c is { Status: ConversationStatus.Assigned }, "the phone's conversation to be assigned");
        var survivor = phone.Session!.ClientId;

        (await staff.Admin.PostAsJsonAsync($"/api/v1/conversations/{second.Message!.ConversationId}/client/merge",
            new { clientId = tablet.Session.ClientId }, ct)).EnsureSuccessStatusCode();

        // The hub tells the tablet; it renews its session (same visitor id) onto the survivor and follows the open conversation.
        await Eventually.HoldsAsync(() => tablet.Session, s => s?.ClientId == survivor, "the tablet's session to move to the survivor");
        Assert.Equal(tabletVisitor, tablet.Session!.VisitorId);
        await Staff.ReplyAsync(op, second.Message.ConversationId, "Вижу оба ваших обращения");
        await onTablet.WaitForTextAsync("Вижу оба ваших обращения");
        var sent = await tablet.SendAsync("Спасибо!", ct);
        Assert.Equal(second.Message.ConversationId, sent.Message!.ConversationId);
    }
}

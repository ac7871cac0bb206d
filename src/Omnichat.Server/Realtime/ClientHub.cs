using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Push;
using Omnichat.Server.Api;

namespace Omnichat.Server.Realtime;

/// <summary>
/// Client realtime channel (<c>/hubs/client</c>), authenticated by the client token. Server → client:
/// <c>message</c>, <c>typing</c>, <c>conversation</c>. Client → server: <c>Typing(bool)</c>.
/// </summary>
[Authorize(Policy = ClientApiSetup.ClientPolicy)]
public sealed class ClientHub(OmnichatDbContext db, IHubContext<StaffHub> staff, ConversationFeed feed, ClientPresence presence) : Hub
{
    public static string GroupOf(ClientId id) => "client:" + id;

    public override async Task OnConnectedAsync()
    {
        var client = ClientPrincipal.From(Context.User!) ?? throw new HubException("Not a client.");
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(client.ClientId));
        presence.Connected(client.ClientId); // while connected, messages come over the hub, not the push gateway
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (ClientPrincipal.From(Context.User!) is { } client)
        {
            presence.Disconnected(client.ClientId);
        }

        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The client is (or stopped) typing: shown to the operator of the open conversation.</summary>
    public async Task Typing(bool isTyping)
    {
        var client = ClientPrincipal.From(Context.User!) ?? throw new HubException("Not a client.");
        var open = await db.Conversations.AsNoTracking()
            .Where(c => c.ClientId == client.ClientId && c.ChannelId == client.ChannelId && c.Status != ConversationStatus.Closed && c.Status != ConversationStatus.Rated)
            .Select(c => new { c.Id, c.OperatorId, c.SkillGroupId })
            .FirstOrDefaultAsync(Context.ConnectionAborted);
        if (open is null)
        {
            return;
        }

        feed.Publish(new ConversationChange(ConversationChangeKind.Typing, open.Id, open.OperatorId, open.SkillGroupId, ClientTyping: isTyping));
        if (open.OperatorId is { } op)
        {
            await staff.Clients.Group(StaffHub.GroupOf(op)).SendAsync("typing", new TypingEvent(open.Id.Value, "client", isTyping), Context.ConnectionAborted);
        }
    }
}

public sealed record TypingEvent(Guid ConversationId, string From, bool IsTyping);

public sealed record ConversationStatusEvent(Guid ConversationId, ConversationStatus Status, string? OperatorName);

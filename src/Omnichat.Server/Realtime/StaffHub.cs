using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Realtime;

/// <summary>
/// Staff realtime channel (<c>/hubs/staff</c>) for API integrations and tools, authenticated by the staff
/// bearer token. Server → staff: <c>message</c>, <c>typing</c>, <c>conversation</c> for conversations
/// assigned to the signed-in operator, <c>offer</c> for offers made to them. Staff → server: <c>Typing(conversationId, bool)</c>.
/// A connection counts as the operator's presence (see <see cref="OperatorPresence"/>).
/// </summary>
[Authorize(Policy = StaffHub.Policy)]
public sealed class StaffHub(OmnichatDbContext db, IHubContext<ClientHub> clients, OperatorPresence presence) : Hub
{
    /// <summary>Realtime is for people and keys that read conversations.</summary>
    public const string Policy = PermissionPolicies.Prefix + Permissions.HandleConversations + "|" + Permissions.ViewConversations + "|" + Permissions.SuperviseConversations;

    public static string GroupOf(OperatorId id) => "operator:" + id;

    public override async Task OnConnectedAsync()
    {
        var scope = await StaffScope.ForAsync(db, Context.User!, Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(scope.OperatorId));
        Context.Items["operator"] = scope.OperatorId;
        presence.Connected(scope.OperatorId);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue("operator", out var id) && id is OperatorId op)
        {
            presence.Disconnected(op);
        }

        return base.OnDisconnectedAsync(exception);
    }

    public async Task Typing(Guid conversationId, bool isTyping)
    {
        var scope = await StaffScope.ForAsync(db, Context.User!, Context.ConnectionAborted);
        var conversation = await scope.Visible(db.Conversations.AsNoTracking())
            .Where(c => c.Id == ConversationId.From(conversationId)).Select(c => new { c.ClientId, c.OperatorId })
            .FirstOrDefaultAsync(Context.ConnectionAborted);
        if (conversation is not null && (scope.Supervises || conversation.OperatorId == scope.OperatorId))
        {
            await clients.Clients.Group(ClientHub.GroupOf(conversation.ClientId))
                .SendAsync("typing", new TypingEvent(conversationId, "operator", isTyping), Context.ConnectionAborted);
        }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Realtime;

/// <summary>
/// Staff realtime channel (<c>/hubs/staff</c>) for API integrations and tools, authenticated by the staff
/// bearer token. Server → staff: <c>message</c>, <c>typing</c>, <c>conversation</c> for conversations
/// assigned to the signed-in operator. Staff → server: <c>Typing(conversationId, bool)</c>.
/// </summary>
[Authorize]
public sealed class StaffHub(OmnichatDbContext db, IHubContext<ClientHub> clients) : Hub
{
    public static string GroupOf(OperatorId id) => "operator:" + id;

    public override async Task OnConnectedAsync()
    {
        var scope = await StaffScope.ForAsync(db, Context.User!, Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(scope.OperatorId));
        await base.OnConnectedAsync();
    }

    public async Task Typing(Guid conversationId, bool isTyping)
    {
        var scope = await StaffScope.ForAsync(db, Context.User!, Context.ConnectionAborted);
        var conversation = await scope.Visible(db.Conversations.AsNoTracking())
            .Where(c => c.Id == ConversationId.From(conversationId)).Select(c => new { c.ClientId, c.OperatorId })
            .FirstOrDefaultAsync(Context.ConnectionAborted);
        if (conversation is not null && (scope.SeesEverything || conversation.OperatorId == scope.OperatorId))
        {
            await clients.Clients.Group(ClientHub.GroupOf(conversation.ClientId))
                .SendAsync("typing", new TypingEvent(conversationId, "operator", isTyping), Context.ConnectionAborted);
        }
    }
}

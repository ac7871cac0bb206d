using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Realtime;

public sealed class HubTypingRelay(OmnichatDbContext db, IHubContext<ClientHub> clients) : ITypingRelay
{
    public async Task OperatorTypingAsync(ConversationId conversationId, bool isTyping, CancellationToken cancellationToken)
    {
        var clientId = await db.Conversations.Where(c => c.Id == conversationId).Select(c => (ClientId?)c.ClientId).FirstOrDefaultAsync(cancellationToken);
        if (clientId is { } id)
        {
            await clients.Clients.Group(ClientHub.GroupOf(id)).SendAsync("typing", new TypingEvent(conversationId.Value, "operator", isTyping), cancellationToken);
        }
    }
}

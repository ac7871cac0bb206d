using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Conversations;

/// <summary>
/// The client ends their open conversation ("end chat"). Ended while still waiting in a queue, it counts
/// as abandoned; an operator holding it is released (with the group's wrap-up).
/// </summary>
public static class EndConversationByClient
{
    public sealed record Response(Guid ConversationId, ConversationStatus Status, bool Abandoned);

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<Response> HandleAsync(ClientPrincipal client, CancellationToken cancellationToken) =>
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await db.Conversations
                    .Where(c => c.ClientId == client.ClientId && c.ChannelId == client.ChannelId
                                && c.Status != ConversationStatus.Closed && c.Status != ConversationStatus.Rated)
                    .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Open conversation", client.ClientId);
                var now = time.GetUtcNow();
                var abandoned = conversation.Status == ConversationStatus.Queued;
                var heldBy = conversation.OperatorId;
                var released = conversation.Close(null, Actor.ForClient(client.ClientId), now);
                await OperatorCapacity.ReleaseAsync(db, released, conversation.SkillGroupId, startWrapUp: released is not null && released == heldBy, now, ct);
                await db.SaveChangesAsync(ct);
                return new Response(conversation.Id.Value, conversation.Status, abandoned);
            }, cancellationToken);
    }
}

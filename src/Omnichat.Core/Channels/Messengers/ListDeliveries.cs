using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// The messenger deliveries of a conversation visible to me: each part's state, attempts and the vendor's last
/// error — why a message shows as failed, or why it is still waiting.
/// </summary>
public static class ListDeliveries
{
    public sealed record DeliveryView(
        Guid Id, Guid? MessageId, Guid? AttachmentId, MessengerDeliveryKind Kind, MessengerDeliveryStatus Status, int Attempts,
        string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<DeliveryView>> HandleAsync(StaffScope staff, Guid conversationId, CancellationToken cancellationToken)
        {
            var id = ConversationId.From(conversationId);
            if (!await staff.Visible(db.Conversations).AnyAsync(c => c.Id == id, cancellationToken))
            {
                throw new NotFoundException("Conversation", conversationId);
            }

            var rows = await db.MessengerDeliveries.AsNoTracking().Where(d => d.ConversationId == id)
                .OrderBy(d => d.Position).ThenBy(d => d.CreatedAt).ToListAsync(cancellationToken);
            return [.. rows.Select(d => new DeliveryView(d.Id, d.MessageId?.Value, d.AttachmentId?.Value, d.Kind, d.Status, d.Attempts, d.LastError,
                d.NextAttemptAt, d.CreatedAt, d.SentAt))];
        }
    }
}

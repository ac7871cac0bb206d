using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>Staff conversation lists: mine, my groups' queues, or all visible to me; filtered by status, paged.</summary>
public static class ListConversations
{
    public const int MaxPageSize = 200;

    public enum Scope
    {
        Mine,
        Queue,
        All,
    }

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<ConversationPage> HandleAsync(
            StaffScope scope, Scope which, IReadOnlyList<ConversationStatus>? statuses, int page, int pageSize, CancellationToken cancellationToken)
        {
            if (page < 1)
            {
                throw new FieldValidationException("page", "'page' starts at 1.");
            }

            if (pageSize is < 1 or > MaxPageSize)
            {
                throw new FieldValidationException("pageSize", $"'pageSize' must be between 1 and {MaxPageSize}.");
            }

            var query = scope.Visible(db.Conversations.AsNoTracking());
            query = which switch
            {
                Scope.Mine => query.Where(c => c.OperatorId == scope.OperatorId),
                Scope.Queue => query.Where(c => c.Status == ConversationStatus.Queued),
                _ => query,
            };
            if (statuses is { Count: > 0 })
            {
                query = query.Where(c => statuses.Contains(c.Status));
            }

            var total = await query.CountAsync(cancellationToken);
            var ordered = which == Scope.Queue
                ? query.OrderByDescending(c => c.Priority).ThenBy(c => c.QueuedAt)
                : query.OrderByDescending(c => c.UpdatedAt);
            var items = await Project(db, ordered.Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
            return new ConversationPage(items, total, page, pageSize);
        }
    }

    /// <summary>Shared projection: joins channel and client names, counts unread client messages.</summary>
    internal static IQueryable<ConversationView> Project(OmnichatDbContext db, IQueryable<Conversation> conversations) =>
        from c in conversations
        join ch in db.Channels on c.ChannelId equals ch.Id
        join cl in db.Clients on c.ClientId equals cl.Id
        select new ConversationView(
            c.Id.Value, c.Status, ch.Id.Value, ch.Kind, ch.Name, cl.Id.Value, cl.DisplayName,
            c.SkillGroupId == null ? null : c.SkillGroupId.Value.Value,
            c.OperatorId == null ? null : c.OperatorId.Value.Value,
            c.Priority, c.Topic, c.LastMessageSeq,
            db.Messages.Count(m => m.ConversationId == c.Id && m.Direction == MessageDirection.In && m.Seq > c.OperatorReadSeq),
            c.CreatedAt, c.UpdatedAt, c.QueuedAt, c.AssignedAt, c.ClosedAt,
            c.OfferedOperatorId == null ? null : c.OfferedOperatorId.Value.Value, c.OfferExpiresAt, c.OverflowedAt, null, null, c.NotifyEmail,
            c.Resolution, c.Tags);
}

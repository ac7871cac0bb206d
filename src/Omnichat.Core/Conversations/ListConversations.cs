using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>
/// Staff conversation lists: mine, my groups' queues, or all visible to me; filtered by status, channel,
/// group, period, tag, rating and a text search over the messages; sorted by last change or by waiting time.
/// </summary>
public static class ListConversations
{
    public const int MaxPageSize = 200;

    public enum Scope
    {
        Mine,
        Queue,
        All,
    }

    public const int MaxSearchLength = 200;

    /// <summary>Optional filters (ids of things outside my scope simply match nothing). <c>WaitingFirst</c>: the longest-waiting first.</summary>
    public sealed record Filter(
        Guid? ChannelId = null, Guid? SkillGroupId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Tag = null, int? Rating = null,
        string? Search = null, bool WaitingFirst = false);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<ConversationPage> HandleAsync(
            StaffScope scope, Scope which, IReadOnlyList<ConversationStatus>? statuses, int page, int pageSize, CancellationToken cancellationToken,
            Filter? filter = null)
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

            filter ??= new Filter();
            query = Apply(db, query, filter);
            var total = await query.CountAsync(cancellationToken);
            var ordered = which == Scope.Queue
                ? query.OrderByDescending(c => c.Priority).ThenBy(c => c.QueuedAt)
                : filter.WaitingFirst
                    ? query.OrderBy(c => c.QueuedAt == null).ThenBy(c => c.QueuedAt).ThenByDescending(c => c.UpdatedAt)
                    : query.OrderByDescending(c => c.UpdatedAt);
            var items = await Project(db, ordered.Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
            return new ConversationPage(items, total, page, pageSize);
        }
    }

    private static IQueryable<Conversation> Apply(OmnichatDbContext db, IQueryable<Conversation> query, Filter f)
    {
        if (f.From is { } from && f.To is { } to && from > to)
        {
            throw new FieldValidationException("from", "'from' must not be after 'to'.");
        }

        if (f.Rating is < 1 or > 5)
        {
            throw new FieldValidationException("rating", "'rating' is 1 to 5.");
        }

        if (f.Search is { Length: > MaxSearchLength })
        {
            throw new FieldValidationException("search", $"'search' must be at most {MaxSearchLength} characters.");
        }

        if (f.Tag is { Length: > Conversation.MaxTagLength })
        {
            throw new FieldValidationException("tag", $"'tag' must be at most {Conversation.MaxTagLength} characters.");
        }

        if (f.ChannelId is { } channel)
        {
            query = query.Where(c => c.ChannelId == ChannelId.From(channel));
        }

        if (f.SkillGroupId is { } group)
        {
            query = query.Where(c => c.SkillGroupId == SkillGroupId.From(group));
        }

        if (f.From is { } since)
        {
            query = query.Where(c => c.CreatedAt >= since);
        }

        if (f.To is { } until)
        {
            query = query.Where(c => c.CreatedAt < until);
        }

        if (!string.IsNullOrWhiteSpace(f.Tag))
        {
            var tag = f.Tag.Trim();
            query = query.Where(c => c.Tags.Contains(tag));
        }

        if (f.Rating is { } rating)
        {
            query = query.Where(c => c.Rating == rating);
        }

        if (!string.IsNullOrWhiteSpace(f.Search))
        {
            query = Containing(db, query, f.Search);
        }

        return query;
    }

    /// <summary>
    /// Every word somewhere in the conversation's messages (notes included: staff read them), any case, as a
    /// substring. Words of one or two letters are left out beside longer ones: they match nearly everything
    /// and no trigram index can serve them; alone, they are still searched (by a scan).
    /// </summary>
    internal static IQueryable<Conversation> Containing(OmnichatDbContext db, IQueryable<Conversation> query, string search)
    {
        if (search.Any(c => char.IsControl(c) && !char.IsWhiteSpace(c)))
        {
            throw new FieldValidationException("search", "'search' must not contain control characters.");
        }

        var words = search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(5).ToList();
        var indexed = words.Where(w => w.EnumerateRunes().Count() >= 3).ToList();
        foreach (var word in indexed.Count > 0 ? indexed : words)
        {
            var containing = TextSearch.MessagesContaining(db, word).Select(m => m.ConversationId);
            query = query.Where(c => containing.Contains(c.Id));
        }

        return query;
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

using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>One conversation with its figures: the analysts' list, drill-down and the per-conversation export.</summary>
public sealed record ConversationReportRow(
    Guid Id, DateTimeOffset CreatedAt, Guid ChannelId, string Channel, Guid? SkillGroupId, string? SkillGroup, Guid? OperatorId, string? Operator,
    string? Client, ConversationStatus Status, string? Topic, string? Resolution, IReadOnlyList<string> Tags,
    DateTimeOffset? FirstQueuedAt, DateTimeOffset? AnsweredAt, double? WaitSeconds, double? FirstResponseSeconds, double? HandleSeconds,
    double? ResolutionSeconds, DateTimeOffset? ClosedAt, ActorKind? ClosedBy, int Transfers, int MissedOffers, bool Abandoned, int? Rating,
    int ClientMessages, int OperatorMessages);

public sealed record ConversationReportPage(IReadOnlyList<ConversationReportRow> Items, int Total, int Page, int PageSize);

/// <summary>
/// The analysts' conversation list (PRODUCT A2): conversations created in the period (or, for a drill-down, those
/// that counted in a report figure of the period) inside the caller's data boundary — the query filter on
/// conversations applies — with the filters, text search and sort of the query.
/// </summary>
public sealed class ListReportConversations(OmnichatDbContext db)
{
    public async Task<ConversationReportPage> PageAsync(StaffScope scope, ReportQuery q, CancellationToken cancellationToken)
    {
        await q.ValidateAsync(db, scope, cancellationToken);
        var query = Filter(scope, q);
        var total = await query.CountAsync(cancellationToken);
        var items = await Rows(Sort(query, q.Sort).Skip((q.Page - 1) * q.PageSize).Take(q.PageSize)).ToListAsync(cancellationToken);
        var names = await NamesAsync(cancellationToken);
        return new ConversationReportPage([.. items.Select(i => names.Complete(i))], total, q.Page, q.PageSize);
    }

    public Task<int> CountAsync(StaffScope scope, ReportQuery q, CancellationToken cancellationToken) => Filter(scope, q).CountAsync(cancellationToken);

    /// <summary>Every matching conversation, streamed in the query's order (exports of any size).</summary>
    public async IAsyncEnumerable<ConversationReportRow> StreamAsync(StaffScope scope, ReportQuery q, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await q.ValidateAsync(db, scope, cancellationToken);
        var names = await NamesAsync(cancellationToken);
        await foreach (var row in Rows(Sort(Filter(scope, q), q.Sort)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return names.Complete(row);
        }
    }

    /// <summary>The matching conversations' ids in the query's order (transcript export).</summary>
    public IQueryable<Conversation> Matching(StaffScope scope, ReportQuery q) => Sort(Filter(scope, q), q.Sort);

    private IQueryable<Conversation> Filter(StaffScope scope, ReportQuery q)
    {
        var query = scope.Visible(db.Conversations.AsNoTracking());
        if (q.Metric is { } metric)
        {
            // Drill-down: the conversations behind a figure — those whose contribution to the period's intervals with these
            // dimensions counted in the metric's counter.
            var contributions = ReportScope.Filtered(db.ReportContributions.AsNoTracking(), q);
            var x = Expression.Parameter(typeof(ReportContribution), "p");
            var counted = Expression.Lambda<Func<ReportContribution, bool>>(
                Expression.GreaterThan(Expression.Property(x, ReportMetrics.DrillCounter(metric)!), Expression.Constant(0L)), x);
            var ids = contributions.Where(counted).Select(p => p.ConversationId);
            query = query.Where(c => ids.Contains(c.Id));
        }
        else
        {
            var from = q.From;
            var to = q.To;
            query = query.Where(c => c.CreatedAt >= from && c.CreatedAt < to);
            if (q.Channels.Count > 0)
            {
                var ids = q.Channels;
                query = query.Where(c => ids.Contains(c.ChannelId));
            }

            if (q.Groups.Count > 0)
            {
                var ids = q.Groups;
                query = query.Where(c => c.SkillGroupId != null && ids.Contains(c.SkillGroupId.Value));
            }

            if (q.Operators.Count > 0)
            {
                var ids = q.Operators;
                query = query.Where(c => c.OperatorId != null && ids.Contains(c.OperatorId.Value));
            }

            if (q.Branches.Count > 0)
            {
                var ids = q.Branches;
                query = query.Where(c => c.BranchId != null && ids.Contains(c.BranchId.Value));
            }

            if (q.Regions.Count > 0)
            {
                var ids = q.Regions;
                query = query.Where(c => c.RegionId != null && ids.Contains(c.RegionId.Value));
            }

            if (q.Topics.Count > 0)
            {
                var topics = q.Topics;
                query = query.Where(c => c.Topic != null && topics.Contains(c.Topic));
            }
        }

        if (q.Statuses.Count > 0)
        {
            var statuses = q.Statuses;
            query = query.Where(c => statuses.Contains(c.Status));
        }

        if (q.Ratings.Count > 0)
        {
            var ratings = q.Ratings.Select(r => (int?)r).ToList();
            query = query.Where(c => ratings.Contains(c.Rating));
        }

        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            query = ListConversations.Containing(db, query, q.Search);
        }

        return query;
    }

    private IQueryable<Conversation> Sort(IQueryable<Conversation> query, string sort)
    {
        switch (sort)
        {
            case "created":
                return query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id);
            case "rating":
                return query.OrderBy(c => c.Rating).ThenBy(c => c.Id);
            case "-rating":
                return query.OrderByDescending(c => c.Rating).ThenBy(c => c.Id);
            case "wait" or "-wait" or "first-response" or "-first-response" or "handle" or "-handle":
            {
                // An inner join (not a subquery per row): the database walks the figure's index and stops at the page. Every
                // conversation has its figures row from its first event on (a just-opened one may join a moment later).
                var joined = from c in query
                    join f in db.ReportConversations on c.Id equals f.ConversationId
                    select new { c, f };
                var ordered = sort switch
                {
                    "wait" => joined.OrderBy(x => x.f.WaitSeconds),
                    "-wait" => joined.OrderByDescending(x => x.f.WaitSeconds),
                    "first-response" => joined.OrderBy(x => x.f.FirstResponseSeconds),
                    "-first-response" => joined.OrderByDescending(x => x.f.FirstResponseSeconds),
                    "handle" => joined.OrderBy(x => x.f.HandleSeconds),
                    _ => joined.OrderByDescending(x => x.f.HandleSeconds),
                };
                return ordered.ThenBy(x => x.c.Id).Select(x => x.c);
            }

            default:
                return query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id);
        }
    }

    private IQueryable<ConversationReportRow> Rows(IQueryable<Conversation> query) =>
        from c in query
        join ch in db.Channels on c.ChannelId equals ch.Id
        join cl in db.Clients on c.ClientId equals cl.Id
        join f0 in db.ReportConversations on c.Id equals f0.ConversationId into fs
        from f in fs.DefaultIfEmpty()
        select new ConversationReportRow(
            c.Id.Value, c.CreatedAt, ch.Id.Value, ch.Name, c.SkillGroupId == null ? null : c.SkillGroupId.Value.Value, null,
            c.OperatorId == null ? null : c.OperatorId.Value.Value, null, cl.DisplayName, c.Status, c.Topic, c.Resolution, c.Tags,
            f == null ? null : f.FirstQueuedAt, f == null ? null : f.AnsweredAt, f == null ? null : f.WaitSeconds,
            f == null ? null : f.FirstResponseSeconds, f == null ? null : f.HandleSeconds, f == null ? null : f.ResolutionSeconds,
            c.ClosedAt, c.ClosedBy, f == null ? 0 : f.Transfers, f == null ? 0 : f.MissedOffers, f != null && f.Abandoned, c.Rating,
            f == null ? 0 : f.ClientMessages, f == null ? 0 : f.OperatorMessages);

    private async Task<Names> NamesAsync(CancellationToken cancellationToken) => new(
        await db.SkillGroups.AsNoTracking().ToDictionaryAsync(g => g.Id.Value, g => g.Name, cancellationToken),
        await db.Operators.AsNoTracking().ToDictionaryAsync(o => o.Id.Value, o => o.DisplayName, cancellationToken));

    private sealed record Names(Dictionary<Guid, string> Groups, Dictionary<Guid, string> Operators)
    {
        public ConversationReportRow Complete(ConversationReportRow r) => r with
        {
            SkillGroup = r.SkillGroupId is { } g ? Groups.GetValueOrDefault(g) : null,
            Operator = r.OperatorId is { } o ? Operators.GetValueOrDefault(o) : null,
        };
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Audit;

/// <summary>The audit log for administrators: newest first, filtered by action, actor, subject, period and text.</summary>
public static class SearchAuditLog
{
    public const int MaxPageSize = 200;

    public sealed record Filter(string? Action, string? ActorId, string? SubjectType, string? SubjectId, DateTimeOffset? From, DateTimeOffset? To,
        string? Text, int Page = 1, int PageSize = 50);

    public sealed record Page(IReadOnlyList<AuditRecordView> Items, int Total, int PageNumber, int PageSize);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<Page> HandleAsync(Filter filter, CancellationToken cancellationToken)
        {
            if (filter.Page < 1)
            {
                throw new FieldValidationException("page", "'page' starts at 1.");
            }

            if (filter.PageSize is < 1 or > MaxPageSize)
            {
                throw new FieldValidationException("pageSize", $"'pageSize' must be 1–{MaxPageSize}.");
            }

            if (filter.From > filter.To)
            {
                throw new FieldValidationException("from", "'from' must not be after 'to'.");
            }

            foreach (var (name, value) in new[] { ("action", filter.Action), ("actorId", filter.ActorId), ("subjectType", filter.SubjectType), ("subjectId", filter.SubjectId), ("text", filter.Text) })
            {
                if (value?.Length > 200)
                {
                    throw new FieldValidationException(name, $"'{name}' is at most 200 characters.");
                }
            }

            var q = db.AuditRecords.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(filter.Action))
            {
                // "user" finds user.updated, user.created…; "auth.sign-in" exactly that and its sub-actions.
                var action = filter.Action.Trim();
                q = q.Where(r => r.Action == action || r.Action.StartsWith(action + "."));
            }

            if (!string.IsNullOrWhiteSpace(filter.ActorId))
            {
                q = q.Where(r => r.ActorId == filter.ActorId.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.SubjectType))
            {
                q = q.Where(r => r.SubjectType == filter.SubjectType.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.SubjectId))
            {
                var id = filter.SubjectId.Trim();
                q = q.Where(r => r.SubjectId == id || r.RelatedId == id);
            }

            if (filter.From is { } from)
            {
                q = q.Where(r => r.At >= from);
            }

            if (filter.To is { } to)
            {
                q = q.Where(r => r.At < to);
            }

            if (!string.IsNullOrWhiteSpace(filter.Text))
            {
                // Parameterised LIKE over the details and the reason (an administrator's search, not a hot path).
                var pattern = "%" + filter.Text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                    .Replace("_", "\\_", StringComparison.Ordinal) + "%";
                q = q.Where(r => EF.Functions.Like(r.Details, pattern, "\\") || EF.Functions.Like(r.Reason!, pattern, "\\")
                                 || EF.Functions.Like(r.SubjectId, pattern, "\\"));
            }

            var total = await q.CountAsync(cancellationToken);
            var rows = await q.OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
                .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize).ToListAsync(cancellationToken);
            var actorIds = rows.Where(r => r.ActorKind == ActorKind.Operator && r.ActorId is not null)
                .Select(r => Guid.TryParse(r.ActorId, out var g) ? OperatorId.From(g) : default).Distinct().ToList();
            var names = await db.Operators.AsNoTracking().Where(o => actorIds.Contains(o.Id))
                .ToDictionaryAsync(o => o.Id.ToString(), o => o.DisplayName, cancellationToken);
            return new Page([.. rows.Select(r => new AuditRecordView(r.Id.Value, r.At, r.ActorKind, r.ActorId,
                r.ActorId is not null && names.TryGetValue(r.ActorId, out var n) ? n : null, r.Action, r.SubjectType, r.SubjectId, r.RelatedId, r.Reason,
                JsonSerializer.Deserialize<JsonElement>(r.Details)))], total, filter.Page, filter.PageSize);
        }
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Audit;

public sealed record AuditRecordView(
    Guid Id, DateTimeOffset At, ActorKind ActorKind, string? ActorId, string? ActorName, string Action, string SubjectType, string SubjectId,
    string? RelatedId, string? Reason, JsonElement Details);

/// <summary>The audit records about one subject (as subject or as the related one), newest first; supervisors and administrators.</summary>
public static class ListAuditRecords
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<AuditRecordView>> HandleAsync(StaffScope staff, string subjectType, Guid subjectId, int? limit,
            CancellationToken cancellationToken)
        {
            if (!staff.HasAny(Permissions.ViewAudit, Permissions.MergeClients))
            {
                throw new ForbiddenException("The audit log is for supervisors and administrators.");
            }

            var id = subjectId.ToString();
            var rows = await db.AuditRecords.AsNoTracking()
                .Where(r => r.SubjectType == subjectType && (r.SubjectId == id || r.RelatedId == id))
                .OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(Math.Clamp(limit ?? 50, 1, 200)).ToListAsync(cancellationToken);
            var actorIds = rows.Where(r => r.ActorKind == ActorKind.Operator && r.ActorId is not null)
                .Select(r => Guid.TryParse(r.ActorId, out var g) ? OperatorId.From(g) : default).Distinct().ToList();
            var names = await db.Operators.AsNoTracking().Where(o => actorIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id.ToString(), o => o.DisplayName, cancellationToken);
            return rows.Select(r => new AuditRecordView(r.Id.Value, r.At, r.ActorKind, r.ActorId,
                    r.ActorId is not null && names.TryGetValue(r.ActorId, out var n) ? n : null, r.Action, r.SubjectType, r.SubjectId, r.RelatedId, r.Reason,
                    JsonSerializer.Deserialize<JsonElement>(r.Details)))
                .ToList();
        }
    }
}

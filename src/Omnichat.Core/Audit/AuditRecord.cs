using System.Text.Json;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Audit;

/// <summary>
/// One audited action (PRODUCT S2): who did what to which subject, when, with the values before and after.
/// Append-only: rows are written in the transaction of the change they describe and never updated.
/// </summary>
public sealed class AuditRecord
{
    public const int MaxActionLength = 64;
    public const int MaxSubjectLength = 64;
    public const int MaxReasonLength = 500;

    private AuditRecord()
    {
    }

    public AuditRecordId Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public ActorKind ActorKind { get; private set; }

    public string? ActorId { get; private set; }

    /// <summary>A dotted verb: <c>client.merge</c>, <c>client.split</c>.</summary>
    public string Action { get; private set; } = "";

    /// <summary>What the action was about: <c>client</c>.</summary>
    public string SubjectType { get; private set; } = "";

    public string SubjectId { get; private set; } = "";

    /// <summary>Another subject the action touched (the merged client), so both find the record.</summary>
    public string? RelatedId { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>JSON: the values before and after, the ids moved.</summary>
    public string Details { get; private set; } = "{}";

    public static AuditRecord Create(Actor actor, string action, string subjectType, string subjectId, string? relatedId, string? reason, object details,
        DateTimeOffset now) => new()
    {
        Id = AuditRecordId.New(),
        At = now,
        ActorKind = actor.Kind,
        ActorId = actor.Id,
        Action = action,
        SubjectType = subjectType,
        SubjectId = subjectId,
        RelatedId = relatedId,
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        Details = JsonSerializer.Serialize(details, DetailsJson),
    };

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);
}

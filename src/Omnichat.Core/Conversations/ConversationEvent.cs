using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>
/// A conversation state change as a row: what happened, when, by whom. The single source for
/// metrics, reports, WFM export and audit.
/// </summary>
public sealed class ConversationEvent
{
    public long Id { get; set; }

    public ConversationId ConversationId { get; set; }

    /// <summary>Kebab-case event name: opened, bot, queued, assigned, transferred, closed, rated.</summary>
    public string Type { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public ActorKind ActorKind { get; set; }

    public string? ActorId { get; set; }

    public SkillGroupId? SkillGroupId { get; set; }

    public OperatorId? OperatorId { get; set; }

    /// <summary>Free-form details (comment, reason) as JSON.</summary>
    public string? Data { get; set; }
}

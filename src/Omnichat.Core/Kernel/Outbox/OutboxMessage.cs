namespace Omnichat.Core.Kernel.Outbox;

/// <summary>A domain event committed in the same transaction as the state change that raised it.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>Event id; listeners de-duplicate on it.</summary>
    public Guid EventId { get; set; }

    public required string StreamKey { get; set; }

    public required string Type { get; set; }

    public required string Payload { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>Records that a de-duplicating listener has handled an event (the listener's inbox).</summary>
public sealed class ProcessedEvent
{
    public required string Listener { get; set; }

    public Guid EventId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}

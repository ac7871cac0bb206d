namespace Omnichat.Core.Kernel.Outbox;

/// <summary>A domain event as delivered to listeners, with its delivery metadata.</summary>
public sealed record EventEnvelope(Guid EventId, long Sequence, string StreamKey, DateTimeOffset OccurredAt, IDomainEvent Event);

/// <summary>Handles one kind of domain event. Delivery is at least once and in order per stream.</summary>
public interface IDomainEventListener<in TEvent> where TEvent : IDomainEvent
{
    Task HandleAsync(EventEnvelope envelope, TEvent domainEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Carries committed events from the outbox to listeners. In-process by default; a broker
/// (RabbitMQ) implements the same contract without listeners changing.
/// </summary>
public interface IEventTransport
{
    /// <summary>Returns when every listener has handled the event; throws when any has failed.</summary>
    Task PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}

namespace Omnichat.Core.Kernel;

/// <summary>A domain event: a fact, named in the past tense, delivered through the outbox.</summary>
public interface IDomainEvent
{
    /// <summary>Events with the same stream key are delivered in the order they were committed.</summary>
    string StreamKey { get; }
}

/// <summary>An aggregate root collects the domain events of its state changes until they are saved.</summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    internal void ClearDomainEvents() => _domainEvents.Clear();
}

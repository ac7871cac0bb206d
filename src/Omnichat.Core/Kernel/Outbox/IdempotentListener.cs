using Microsoft.EntityFrameworkCore;

namespace Omnichat.Core.Kernel.Outbox;

/// <summary>
/// A listener whose effects happen exactly once: the event id is recorded in the listener's inbox
/// in the same transaction as the listener's own database changes, so a redelivery is skipped.
/// </summary>
public abstract class IdempotentListener<TEvent>(OmnichatDbContext db, TimeProvider time) : IDomainEventListener<TEvent>
    where TEvent : IDomainEvent
{
    protected OmnichatDbContext Db => db;

    protected TimeProvider Clock => time;

    /// <summary>The inbox name; stable across releases (defaults to the class name).</summary>
    protected virtual string ListenerName => GetType().Name;

    /// <summary>
    /// Whether the event can concern this listener at all, judged from the event alone: events it ignores cost no
    /// transaction and leave no inbox record (most messages are not an operator's answer, for example).
    /// </summary>
    protected virtual bool Concerns(TEvent domainEvent) => true;

    public async Task HandleAsync(EventEnvelope envelope, TEvent domainEvent, CancellationToken cancellationToken)
    {
        if (!Concerns(domainEvent))
        {
            return;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var seen = await db.ProcessedEvents.AnyAsync(p => p.Listener == ListenerName && p.EventId == envelope.EventId, ct);
            if (seen)
            {
                return;
            }

            await HandleOnceAsync(envelope, domainEvent, ct);
            db.ProcessedEvents.Add(new ProcessedEvent { Listener = ListenerName, EventId = envelope.EventId, ProcessedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <summary>Applies the event's effects through <see cref="Db"/>; do not call SaveChanges or commit here.</summary>
    protected abstract Task HandleOnceAsync(EventEnvelope envelope, TEvent domainEvent, CancellationToken cancellationToken);
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Omnichat.Core.Kernel.Outbox;

/// <summary>
/// Turns the domain events of tracked aggregates into outbox rows inside the same SaveChanges,
/// so a state change and its events commit in one transaction; signals the dispatcher afterwards.
/// </summary>
public sealed class OutboxSaveChangesInterceptor(TimeProvider time, OutboxSignal signal)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private bool _wroteEvents;

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        CollectEvents(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        CollectEvents(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private void CollectEvents(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var aggregates = context.ChangeTracker.Entries<AggregateRoot>()
            .Where(e => e.Entity.DomainEvents.Count > 0)
            .Select(e => e.Entity)
            .ToList();
        var now = time.GetUtcNow();
        foreach (var aggregate in aggregates)
        {
            foreach (var domainEvent in aggregate.DomainEvents)
            {
                context.Add(new OutboxMessage
                {
                    EventId = Guid.CreateVersion7(),
                    StreamKey = domainEvent.StreamKey,
                    Type = DomainEventSerializer.NameOf(domainEvent.GetType()),
                    Payload = DomainEventSerializer.Serialize(domainEvent),
                    OccurredAt = now,
                });
            }

            aggregate.ClearDomainEvents();
            _wroteEvents = true;
        }
    }

    private void AfterSave(DbContext? context)
    {
        if (!_wroteEvents)
        {
            return;
        }

        // Inside an explicit transaction the rows become visible only at commit.
        if (context?.Database.CurrentTransaction is null)
        {
            _wroteEvents = false;
            signal.Notify();
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (_wroteEvents)
        {
            _wroteEvents = false;
            signal.Notify();
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _wroteEvents = false;
        return Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Omnichat.Core.Kernel.Outbox;

/// <summary>Delivers events to the listeners registered in this process, each in its own DI scope.</summary>
public sealed class InProcessEventTransport(IServiceScopeFactory scopeFactory) : IEventTransport
{
    private static readonly ConcurrentDictionary<Type, Func<IServiceProvider, EventEnvelope, CancellationToken, Task>> Invokers = new();

    public async Task PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var invoke = Invokers.GetOrAdd(envelope.Event.GetType(), CreateInvoker);
        await using var scope = scopeFactory.CreateAsyncScope();
        await invoke(scope.ServiceProvider, envelope, cancellationToken);
    }

    private static Func<IServiceProvider, EventEnvelope, CancellationToken, Task> CreateInvoker(Type eventType) =>
        typeof(InProcessEventTransport)
            .GetMethod(nameof(InvokeAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(eventType)
            .CreateDelegate<Func<IServiceProvider, EventEnvelope, CancellationToken, Task>>();

    private static async Task InvokeAsync<TEvent>(IServiceProvider services, EventEnvelope envelope, CancellationToken cancellationToken)
        where TEvent : IDomainEvent
    {
        // Every listener gets the event even if an earlier one fails; the failure is reported after,
        // and the whole event is retried (listeners de-duplicate by event id).
        List<Exception>? failures = null;
        foreach (var listener in services.GetServices<IDomainEventListener<TEvent>>())
        {
            try
            {
                await listener.HandleAsync(envelope, (TEvent)envelope.Event, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException($"{failures.Count} listener(s) failed for {typeof(TEvent).Name} {envelope.EventId}.", failures);
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Kernel;

public static class EventsRegistration
{
    /// <summary>Outbox, dispatcher and the in-process transport (replaceable by a broker transport).</summary>
    public static IServiceCollection AddOmnichatEvents(this IServiceCollection services, IConfiguration configuration, bool runDispatcher)
    {
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DomainEventSerializer>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<IEventTransport, InProcessEventTransport>();
        if (runDispatcher)
        {
            services.AddHostedService<OutboxDispatcherService>();
        }

        return services;
    }

    /// <summary>Registers a listener for one event type; it is resolved per delivery in its own scope.</summary>
    public static IServiceCollection AddEventListener<TEvent, TListener>(this IServiceCollection services)
        where TEvent : IDomainEvent
        where TListener : class, IDomainEventListener<TEvent>
    {
        services.AddScoped<IDomainEventListener<TEvent>, TListener>();
        return services;
    }
}

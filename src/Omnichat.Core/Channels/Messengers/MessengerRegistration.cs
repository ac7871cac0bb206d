using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

public static class MessengerRegistration
{
    /// <summary>
    /// The messenger pipeline around the adapters (registered separately, one per vendor): inbox, processing,
    /// outbound queue and sender, polling, health. The loops run on worker nodes.
    /// </summary>
    public static IServiceCollection AddMessengerPipeline(this IServiceCollection services, IConfiguration configuration, bool runWorkers)
    {
        services.Configure<MessengerOptions>(configuration.GetSection(MessengerOptions.Section));
        services.AddSingleton<MessengerAdapters>();
        services.AddSingleton<MessengerSignals>();
        services.AddSingleton<MessengerHealth>();
        services.AddSingleton<Files.PublicFileLinks>();
        services.AddScoped<AcceptWebhook.Handler>();
        services.AddScoped<ReceiveMessengerItems>();
        services.AddScoped<MessengerSetup.Handler>();
        services.AddScoped<ListDeliveries.Handler>();
        services.AddSingleton<ProcessInboundEvents>();
        services.AddSingleton<MessengerDispatcher>();
        services.AddEventListener<MessageAppended, QueueMessengerMessages>();
        services.AddEventListener<ConversationClosed, QueueRatingPrompts>();
        if (runWorkers)
        {
            services.AddHostedService<MessengerWorkerService>();
            services.AddHostedService<MessengerPollingService>();
        }

        return services;
    }
}

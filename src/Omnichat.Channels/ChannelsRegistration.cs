using Microsoft.Extensions.DependencyInjection;
using Omnichat.Channels.Shared;
using Omnichat.Core.Channels.Messengers;

namespace Omnichat.Channels;

public static class ChannelsRegistration
{
    /// <summary>The messenger adapters, one per vendor folder, and the HTTP client they share.</summary>
    public static IServiceCollection AddMessengerAdapters(this IServiceCollection services)
    {
        // Per-call timeouts are set by the adapters (long polls wait longer than ordinary calls).
        services.AddHttpClient(VendorHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<IMessengerAdapter, Telegram.TelegramAdapter>();
        services.AddSingleton<IMessengerAdapter, Viber.ViberAdapter>();
        services.AddSingleton<IMessengerAdapter, Vk.VkAdapter>();
        services.AddSingleton<IMessengerAdapter, Api.ApiChannelAdapter>();
        return services;
    }
}

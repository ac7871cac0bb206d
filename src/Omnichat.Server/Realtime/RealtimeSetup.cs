using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Server.Api;

namespace Omnichat.Server.Realtime;

public static class RealtimeSetup
{
    /// <summary>SignalR hubs and the push listener (in-process; a backplane comes with several web nodes).</summary>
    public static WebApplicationBuilder AddRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR().AddJsonProtocol(o => ApiSetup.ConfigureJson(o.PayloadSerializerOptions));
        builder.Services.AddSingleton<ConversationFeed>();
        builder.Services.AddScoped<ITypingRelay, HubTypingRelay>();
        builder.Services
            .AddEventListener<MessageAppended, RealtimePush>()
            .AddEventListener<ConversationQueued, RealtimePush>()
            .AddEventListener<ConversationAssigned, RealtimePush>()
            .AddEventListener<ConversationTransferred, RealtimePush>()
            .AddEventListener<ConversationClosed, RealtimePush>();
        return builder;
    }

    public static WebApplication MapRealtime(this WebApplication app)
    {
        app.MapHub<ClientHub>("/hubs/client");
        app.MapHub<StaffHub>("/hubs/staff");
        return app;
    }
}

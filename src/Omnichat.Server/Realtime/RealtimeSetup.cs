using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Core.Routing;
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
            .AddEventListener<ConversationClosed, RealtimePush>()
            .AddEventListener<ConversationOffered, RealtimePush>()
            .AddEventListener<ConversationOfferMissed, RealtimePush>()
            .AddEventListener<OperatorStatusChanged, RealtimePush>()
            .AddEventListener<OperatorCapacityFreed, RealtimePush>()
            .AddEventListener<ConversationReadByOperator, RealtimePush>()
            .AddEventListener<Core.Channels.Messengers.MessageDeliveryChanged, RealtimePush>();
        builder.Services
            .AddEventListener<Core.Clients.ClientsMerged, ClientSessionsEnded>()
            .AddEventListener<Core.Clients.ClientSplit, ClientSessionsEnded>();
        builder.Services.AddSingleton<QueueUpdates>();
        builder.Services
            .AddEventListener<ConversationQueued, QueueUpdates.Listener>()
            .AddEventListener<ConversationAssigned, QueueUpdates.Listener>()
            .AddEventListener<ConversationClosed, QueueUpdates.Listener>()
            .AddEventListener<ConversationOffered, QueueUpdates.Listener>()
            .AddEventListener<OperatorStatusChanged, QueueUpdates.Listener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueUpdates>());
        builder.Services.AddHostedService<PresenceHeartbeatService>();
        return builder;
    }

    public static WebApplication MapRealtime(this WebApplication app)
    {
        app.MapHub<ClientHub>("/hubs/client");
        app.MapHub<StaffHub>("/hubs/staff");
        return app;
    }
}

using Omnichat.Core.Kernel;

using Omnichat.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Reporting;

namespace Omnichat.Server.Hosting;

public static class OmnichatConfiguration
{
    /// <summary>Binds the <c>Omnichat</c> section and decides this node's roles.</summary>
    public static WebApplicationBuilder AddOmnichatConfiguration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OmnichatOptions>().Bind(builder.Configuration.GetSection(OmnichatOptions.Section));
        builder.Services.AddSingleton(NodeRoles.Parse(builder.Configuration[$"{OmnichatOptions.Section}:Roles"]));
        return builder;
    }

    public static OmnichatOptions Omnichat(this WebApplicationBuilder builder) =>
        builder.Configuration.GetSection(OmnichatOptions.Section).Get<OmnichatOptions>() ?? new OmnichatOptions();

    public static NodeRoles Roles(this WebApplicationBuilder builder) =>
        NodeRoles.Parse(builder.Configuration[$"{OmnichatOptions.Section}:Roles"]);

    /// <summary>Structured JSON logs on the console, one object per line, UTC timestamps.</summary>
    public static WebApplicationBuilder AddOmnichatLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.IncludeScopes = false;
        });

        // Hub connections carry their token as ?access_token= (browsers cannot set WebSocket headers), and
        // the hosting diagnostics log whole request URLs. Those request lines stay off whatever the
        // configured level; the filter is added last, so it wins over configuration for this category.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    public static WebApplicationBuilder AddOmnichatDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOmnichatDatabase(builder.Configuration);
        builder.Services.AddOmnichatUseCases();
        return builder;
    }

    /// <summary>Mail, push hook and files; the mail sender and the unsent-upload sweep run on nodes with the worker role.</summary>
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddMail(builder.Configuration, runSender: builder.Roles().Worker);
        builder.Services.AddPushHook(builder.Configuration);
        builder.Services.AddFiles(runSweep: builder.Roles().Worker);
        return builder;
    }

    /// <summary>Messenger channels (Viber, VK, Telegram, the API channel): adapters and the pipeline; its loops run on worker nodes.</summary>
    public static WebApplicationBuilder AddMessengers(this WebApplicationBuilder builder)
    {
        builder.Services.AddMessengerAdapters();
        builder.Services.AddMessengerPipeline(builder.Configuration, runWorkers: builder.Roles().Worker);
        return builder;
    }

    /// <summary>Routing engine: listeners that queue and route conversations; its timers run on worker nodes.</summary>
    public static WebApplicationBuilder AddConversationRouting(this WebApplicationBuilder builder)
    {
        builder.Services.AddRouting(builder.Configuration, runTimers: builder.Roles().Worker);
        return builder;
    }

    /// <summary>Reporting: figures kept by event listeners, reports and exports; the roll-up, schedule and export workers run on worker nodes.</summary>
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddReporting(runWorkers: builder.Roles().Worker);
        return builder;
    }

    /// <summary>Outbox events; the dispatcher runs on nodes with the worker role.</summary>
    public static WebApplicationBuilder AddOmnichatEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOmnichatEvents(builder.Configuration, runDispatcher: builder.Roles().Worker);
        return builder;
    }
}

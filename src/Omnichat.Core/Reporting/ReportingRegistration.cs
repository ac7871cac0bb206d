using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

public static class ReportingRegistration
{
    /// <summary>Reporting: the figures kept current by listeners on conversation events, reports, exports, and (on worker nodes) the roll-up, schedule and export workers.</summary>
    public static IServiceCollection AddReporting(this IServiceCollection services, bool runWorkers)
    {
        services.AddScoped<RefreshConversationReport>();
        services.AddScoped<OperatorTimeRollup>();
        services.AddScoped<ReportHourRollup>();
        services.AddScoped<RebuildReports>();
        services.AddScoped<RunReport>();
        services.AddScoped<LiveDashboard>();
        services.AddScoped<ListReportConversations>();
        services.AddScoped<ReportExporter>();
        services.AddScoped<ReportExports>();
        services.AddScoped<ReportSchedules>();
        services.AddSingleton<ReportExportSignal>();
        services
            .AddEventListener<ConversationOpened, ReportingListeners>()
            .AddEventListener<ConversationQueued, ReportingListeners>()
            .AddEventListener<ConversationAssigned, ReportingListeners>()
            .AddEventListener<ConversationTransferred, ReportingListeners>()
            .AddEventListener<ConversationClosed, ReportingListeners>()
            .AddEventListener<ConversationRated, ReportingListeners>()
            .AddEventListener<ConversationOfferMissed, ReportingListeners>()
            .AddEventListener<MessageAppended, ReportingListeners>();
        if (runWorkers)
        {
            services.AddHostedService<ReportingJob>();
            services.AddHostedService<ReportExportWorker>();
        }

        return services;
    }
}

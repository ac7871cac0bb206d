using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Kernel;

public static class CoreRegistration
{
    /// <summary>Use-case handlers and validators of every module.</summary>
    public static IServiceCollection AddOmnichatUseCases(this IServiceCollection services)
    {
        Validation.UseJsonFieldNames();
        services.AddValidatorsFromAssemblyContaining<OmnichatDbContext>(ServiceLifetime.Singleton, includeInternalTypes: false);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Console.Out);

        services.AddScoped<SaveBranch.Handler>();
        services.AddScoped<ListBranches.Handler>();
        services.AddScoped<SaveRegion.Handler>();
        services.AddScoped<ListRegions.Handler>();
        services.AddScoped<CreateChannel.Handler>();
        services.AddScoped<UpdateChannel.Handler>();
        services.AddScoped<ListChannels.Handler>();
        services.AddScoped<RotateChannelSecret.Handler>();
        services.AddScoped<GetWidgetConfig.Handler>();
        services.AddScoped<SaveSkillGroup.Handler>();
        services.AddScoped<ListSkillGroups.Handler>();
        services.AddScoped<CreateOperator.Handler>();
        services.AddScoped<UpdateOperator.Handler>();
        services.AddScoped<ListOperators.Handler>();
        services.AddScoped<IssueAccessToken.Handler>();
        services.AddScoped<StaffSignIn.Handler>();
        services.AddScoped<ManageRoles.Handler>();
        services.AddScoped<ManageApiKeys.Handler>();
        services.AddScoped<ManageSessions.Handler>();
        services.AddScoped<TwoFactor.Handler>();
        services.AddScoped<Audit.SearchAuditLog.Handler>();
        services.AddScoped<StartClientSession.Handler>();
        services.AddScoped<SendClientMessage.Handler>();
        services.AddScoped<ListClientMessages.Handler>();
        services.AddScoped<ListConversations.Handler>();
        services.AddScoped<GetConversation.Handler>();
        services.AddScoped<SendOperatorMessage.Handler>();
        services.AddScoped<CloseConversation.Handler>();
        services.AddScoped<TagConversation.Handler>();
        services.AddScoped<ClientCard.Handler>();
        services.AddScoped<FindClientMatches.Handler>();
        services.AddScoped<MergeClients.Handler>();
        services.AddScoped<SplitClient.Handler>();
        services.AddScoped<Audit.ListAuditRecords.Handler>();
        services.AddScoped<ClientSessionCheck>();
        services.AddScoped<SetNotificationSettings.Handler>();
        services.AddScoped<MarkConversationRead.Handler>();
        services.AddScoped<SetOperatorStatus.Handler>();
        services.AddScoped<RateConversation.Handler>();
        services.AddScoped<Push.RegisterPushToken.Handler>();
        services.AddSingleton<Push.ClientPresence>();
        services.AddScoped<EndConversationByClient.Handler>();
        services.AddScoped<GetChannelAvailability.Handler>();
        services.AddScoped<RoutingEngine>();
        services.AddSingleton<RoutingPolicyCache>();
        services.AddScoped<SelectSkillGroup>();
        services.AddScoped<RoutingTimers>();
        services.AddScoped<SaveRoutingRule.Handler>();
        services.AddScoped<ListRoutingRules.Handler>();
        services.AddScoped<SaveStatusReason.Handler>();
        services.AddScoped<ListStatusReasons.Handler>();
        services.AddScoped<AcceptOffer.Handler>();
        services.AddScoped<DeclineOffer.Handler>();
        services.AddScoped<PickConversation.Handler>();
        services.AddScoped<TransferConversation.Handler>();
        services.AddScoped<EndWrapUp.Handler>();
        services.AddScoped<GetQueue.Handler>();
        services.AddScoped<ListTransferTargets.Handler>();
        services.AddScoped<QueuePositions>();
        services.AddSingleton<OperatorPresence>();
        services.AddScoped<BootstrapAdministrator>();
        services.AddScoped<MailQueue>();
        services.AddScoped<SendTranscript.Handler>();
        services.AddScoped<SaveMailSettings.Handler>();
        services.AddScoped<SendTestMail.Handler>();
        services.AddScoped<ListOutgoingMail.Handler>();
        services.AddScoped<RequestPasswordReset.Handler>();
        services.AddScoped<ResetPassword.Handler>();
        services.AddScoped<DemoData>();
        services.AddScoped<Templates.SaveReplyTemplate.Handler>();
        services.AddScoped<Templates.ListReplyTemplates.Handler>();
        services.AddScoped<Templates.SetTemplateFavourite.Handler>();
        services.AddScoped<Templates.UseReplyTemplate.Handler>();
        return services;
    }

    /// <summary>Attachments: local file storage (under the data folder unless configured), upload, download, and (on worker nodes) the unsent-upload sweep.</summary>
    public static IServiceCollection AddFiles(this IServiceCollection services, bool runSweep)
    {
        services.TryAddSingleton<Files.IFileStorage>(sp =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<OmnichatOptions>>().Value;
            return new Files.LocalFileStorage(options.Files.Path is { Length: > 0 } path ? path : Path.Combine(options.DataPath, "files"));
        });
        services.AddScoped<Files.UploadFile.Handler>();
        services.AddScoped<Files.GetFile.Handler>();
        services.AddScoped<Files.DeleteUnsentUploads>();
        if (runSweep)
        {
            services.AddHostedService<Files.DeleteUnsentUploadsService>();
        }

        return services;
    }

    /// <summary>The mail module: SMTP through MailKit, settings, and (on worker nodes) the sender of the outgoing queue.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, bool runSender)
    {
        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.AddSingleton<MailSettingsProvider>();
        services.TryAddSingleton<ISmtpTransport, MailKitSmtpTransport>();
        services.AddSingleton<MailDispatcher>();
        services.AddEventListener<MessageAppended, EmailOperatorAnswers>();
        if (runSender)
        {
            services.AddHostedService<MailSenderService>();
        }

        return services;
    }

    /// <summary>Push hook: messages for clients without a realtime connection go to the configured push gateway.</summary>
    public static IServiceCollection AddPushHook(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.Configure<Push.PushOptions>(configuration.GetSection(Push.PushOptions.Section));
        services.AddHttpClient(Push.PushToAwayClients.HttpClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Push.PushOptions>>().Value.Timeout);
        services.AddSingleton<Push.PushSender>();
        services.AddEventListener<MessageAppended, Push.PushToAwayClients>();
        return services;
    }

    /// <summary>The routing engine as listeners on conversation and operator events, plus its timers on worker nodes.</summary>
    public static IServiceCollection AddRouting(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, bool runTimers)
    {
        services
            .AddEventListener<ConversationOpened, QueueNewConversation>()
            .AddEventListener<ConversationQueued, RouteWhenWorkOrCapacityAppears>()
            .AddEventListener<ConversationOverflowed, RouteWhenWorkOrCapacityAppears>()
            .AddEventListener<ConversationOfferMissed, RouteWhenWorkOrCapacityAppears>()
            .AddEventListener<OperatorStatusChanged, RouteWhenWorkOrCapacityAppears>()
            .AddEventListener<OperatorCapacityFreed, RouteWhenWorkOrCapacityAppears>()
            .AddEventListener<OperatorCapacityChanged, RouteWhenWorkOrCapacityAppears>();
        if (runTimers)
        {
            services.AddHostedService<RoutingTimersService>();
        }

        return services;
    }

    /// <summary>ASP.NET Core Identity on our database, with the product's password and lockout policy.</summary>
    public static IdentityBuilder AddStaffIdentity(this IServiceCollection services, AuthOptions auth) =>
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(2))
            .AddIdentityCore<StaffUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireDigit = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = auth.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = auth.LockoutDuration;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<OmnichatDbContext>()
            .AddSignInManager()
            // Password reset tokens (data-protected, bound to the security stamp: one use, two hours).
            .AddDefaultTokenProviders();
}

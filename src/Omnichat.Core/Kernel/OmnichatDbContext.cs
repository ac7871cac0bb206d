using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Kernel;

/// <summary>The one database of an installation: SQLite by default, PostgreSQL in production.</summary>
public sealed class OmnichatDbContext(DbContextOptions<OmnichatDbContext> options)
    : IdentityDbContext<StaffUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Channel> Channels => Set<Channel>();

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<ClientIdentity> ClientIdentities => Set<ClientIdentity>();

    public DbSet<Audit.AuditRecord> AuditRecords => Set<Audit.AuditRecord>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<ConversationEvent> ConversationEvents => Set<ConversationEvent>();

    public DbSet<Operator> Operators => Set<Operator>();

    public DbSet<SkillGroup> SkillGroups => Set<SkillGroup>();

    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();

    public DbSet<StatusReason> StatusReasons => Set<StatusReason>();

    public DbSet<OperatorStatusChange> OperatorStatusChanges => Set<OperatorStatusChange>();

    public DbSet<Push.PushDevice> PushDevices => Set<Push.PushDevice>();

    public DbSet<Branch> Branches => Set<Branch>();

    public DbSet<Region> Regions => Set<Region>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<OutgoingMail> OutgoingMails => Set<OutgoingMail>();

    public DbSet<MailSettingsRecord> MailSettings => Set<MailSettingsRecord>();

    public DbSet<Channels.Messengers.InboundEvent> InboundEvents => Set<Channels.Messengers.InboundEvent>();

    public DbSet<Channels.Messengers.MessengerDelivery> MessengerDeliveries => Set<Channels.Messengers.MessengerDelivery>();

    public DbSet<Channels.Messengers.MessengerPollCursor> MessengerPollCursors => Set<Channels.Messengers.MessengerPollCursor>();

    public DbSet<Access.StaffVisibility> StaffVisibility => Set<Access.StaffVisibility>();

    public DbSet<Access.ApiKey> ApiKeys => Set<Access.ApiKey>();

    public DbSet<Access.StaffSession> StaffSessions => Set<Access.StaffSession>();

    public DbSet<Reporting.ReportContribution> ReportContributions => Set<Reporting.ReportContribution>();

    public DbSet<Reporting.ReportInterval> ReportIntervals => Set<Reporting.ReportInterval>();

    public DbSet<Reporting.ReportHourGroup> ReportHourGroups => Set<Reporting.ReportHourGroup>();

    public DbSet<Reporting.ReportHourOperator> ReportHourOperators => Set<Reporting.ReportHourOperator>();

    public DbSet<Reporting.ReportHourBranch> ReportHourBranches => Set<Reporting.ReportHourBranch>();

    public DbSet<Reporting.ReportHourTopic> ReportHourTopics => Set<Reporting.ReportHourTopic>();

    public DbSet<Reporting.ReportDirtyHour> ReportDirtyHours => Set<Reporting.ReportDirtyHour>();

    public DbSet<Reporting.ReportConversation> ReportConversations => Set<Reporting.ReportConversation>();

    public DbSet<Reporting.ReportHandling> ReportHandlings => Set<Reporting.ReportHandling>();

    public DbSet<Reporting.ReportOperatorInterval> ReportOperatorIntervals => Set<Reporting.ReportOperatorInterval>();

    public DbSet<Reporting.ReportDirtyInterval> ReportDirtyIntervals => Set<Reporting.ReportDirtyInterval>();

    public DbSet<Reporting.ReportJobState> ReportJobStates => Set<Reporting.ReportJobState>();

    public DbSet<Reporting.ReportExport> ReportExports => Set<Reporting.ReportExport>();

    public DbSet<Reporting.ReportSchedule> ReportSchedules => Set<Reporting.ReportSchedule>();

    /// <summary>
    /// The staff member (or API key) this context works for; null for the widget, webhooks and background work,
    /// which see everything. Set by <see cref="Access.StaffScope.ForAsync"/> — the authentication of every staff
    /// request, hub call and workstation action resolves it first — and enforced by the query filter on conversations.
    /// </summary>
    public Access.StaffScope? Visibility { get; set; }

    /// <summary>Lifts the boundary until disposed — for a step the system takes on the user's behalf, never for what they asked to read.</summary>
    public IDisposable PastBoundary()
    {
        var saved = Visibility;
        Visibility = null;
        return new Restore(this, saved);
    }

    private sealed class Restore(OmnichatDbContext db, Access.StaffScope? saved) : IDisposable
    {
        public void Dispose() => db.Visibility = saved;
    }

    private bool BoundaryAll => Visibility?.Data.All ?? true;

    private OperatorId? BoundaryOperator => Visibility?.OperatorId;

    private IReadOnlyList<SkillGroupId> BoundaryGroups => Visibility?.BoundaryGroups ?? [];

    private IReadOnlyList<BranchId> BoundaryBranches => Visibility?.Data.Branches ?? [];

    private IReadOnlyList<RegionId> BoundaryRegions => Visibility?.Data.Regions ?? [];

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        foreach (var idType in TypedIds.All)
        {
            configurationBuilder.Properties(idType).HaveConversion(typeof(TypedIdValueConverter<>).MakeGenericType(idType));
        }

        foreach (var enumType in new[]
                 {
                     typeof(ChannelKind), typeof(ConversationStatus), typeof(MessageDirection), typeof(ActorKind),
                     typeof(DeliveryStatus), typeof(OperatorStatus), typeof(MailStatus), typeof(MailSecurity), typeof(RoutingStrategy), typeof(MaxQueueAction), typeof(Templates.TemplateScope),
                     typeof(Channels.Messengers.InboundEventStatus), typeof(Channels.Messengers.MessengerDeliveryKind), typeof(Channels.Messengers.MessengerDeliveryStatus),
                 })
        {
            configurationBuilder.Properties(enumType).HaveConversion<string>().HaveMaxLength(32);
        }

        if (Database.IsSqlite())
        {
            // SQLite has no native timestamp type; storing ticks keeps comparisons and ORDER BY in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(OmnichatDbContext).Assembly);

        // The data boundary (PRODUCT S1), once for every query on conversations: own and offered conversations,
        // and those of the scope's skill groups (plus the member groups), branches and regions. Code that must
        // see past it on a user's behalf (moving a client's conversations in a merge) says IgnoreQueryFilters.
        builder.Entity<Conversation>().HasQueryFilter(c => BoundaryAll
            || (c.OperatorId != null && c.OperatorId == BoundaryOperator)
            || (c.OfferedOperatorId != null && c.OfferedOperatorId == BoundaryOperator)
            || (c.SkillGroupId != null && BoundaryGroups.Contains(c.SkillGroupId.Value))
            || (c.BranchId != null && BoundaryBranches.Contains(c.BranchId.Value))
            || (c.RegionId != null && BoundaryRegions.Contains(c.RegionId.Value)));
        var fold = builder.HasDbFunction(typeof(TextSearch).GetMethod(nameof(TextSearch.Fold))!);
        if (Database.IsSqlite())
        {
            fold.HasName(TextSearch.SqliteFunction);
        }
        else
        {
            // lower() under the ICU root collation: Unicode case folding whatever the database's own locale (often C).
            fold.HasTranslation(args => new Microsoft.EntityFrameworkCore.Query.SqlExpressions.SqlFunctionExpression(
                "lower", [new Microsoft.EntityFrameworkCore.Query.SqlExpressions.CollateExpression(args[0], TextSearch.PostgresCollation)],
                nullable: true, argumentsPropagateNullability: [true], typeof(string), null));
        }
    }
}

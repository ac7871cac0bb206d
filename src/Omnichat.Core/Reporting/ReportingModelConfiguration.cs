using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Omnichat.Core.Reporting;

internal sealed class ReportContributionConfiguration : IEntityTypeConfiguration<ReportContribution>
{
    public void Configure(EntityTypeBuilder<ReportContribution> b)
    {
        b.ToTable("report_contributions");
        b.Property(x => x.Topic).HasMaxLength(Conversations.Conversation.MaxTopicLength);
        b.HasIndex(x => x.ConversationId);
        b.HasIndex(x => x.IntervalStart);
    }
}

internal sealed class ReportIntervalConfiguration : IEntityTypeConfiguration<ReportInterval>
{
    public void Configure(EntityTypeBuilder<ReportInterval> b)
    {
        b.ToTable("report_intervals");
        b.Property(x => x.Topic).HasMaxLength(Conversations.Conversation.MaxTopicLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.IntervalStart, x.SkillGroupId, x.ChannelId, x.OperatorId });
    }
}

internal sealed class ReportHourGroupConfiguration : IEntityTypeConfiguration<ReportHourGroup>
{
    public void Configure(EntityTypeBuilder<ReportHourGroup> b)
    {
        b.ToTable("report_hour_groups");
        b.HasIndex(x => new { x.IntervalStart, x.SkillGroupId, x.ChannelId });
    }
}

internal sealed class ReportHourOperatorConfiguration : IEntityTypeConfiguration<ReportHourOperator>
{
    public void Configure(EntityTypeBuilder<ReportHourOperator> b)
    {
        b.ToTable("report_hour_operators");
        b.HasIndex(x => new { x.IntervalStart, x.OperatorId });
    }
}

internal sealed class ReportHourBranchConfiguration : IEntityTypeConfiguration<ReportHourBranch>
{
    public void Configure(EntityTypeBuilder<ReportHourBranch> b)
    {
        b.ToTable("report_hour_branches");
        b.HasIndex(x => new { x.IntervalStart, x.BranchId, x.RegionId });
    }
}

internal sealed class ReportHourTopicConfiguration : IEntityTypeConfiguration<ReportHourTopic>
{
    public void Configure(EntityTypeBuilder<ReportHourTopic> b)
    {
        b.ToTable("report_hour_topics");
        b.Property(x => x.Topic).HasMaxLength(Conversations.Conversation.MaxTopicLength);
        b.HasIndex(x => new { x.IntervalStart, x.Topic });
    }
}

internal sealed class ReportDirtyHourConfiguration : IEntityTypeConfiguration<ReportDirtyHour>
{
    public void Configure(EntityTypeBuilder<ReportDirtyHour> b)
    {
        b.ToTable("report_dirty_hours");
        b.HasKey(x => x.HourStart);
        b.Property(x => x.HourStart).ValueGeneratedNever();
    }
}

internal sealed class ReportConversationConfiguration : IEntityTypeConfiguration<ReportConversation>
{
    public void Configure(EntityTypeBuilder<ReportConversation> b)
    {
        b.ToTable("report_conversations");
        b.HasKey(x => x.ConversationId);

        // The analysts' list sorts by these.
        b.HasIndex(x => x.WaitSeconds);
        b.HasIndex(x => x.FirstResponseSeconds);
        b.HasIndex(x => x.HandleSeconds);
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class ReportHandlingConfiguration : IEntityTypeConfiguration<ReportHandling>
{
    public void Configure(EntityTypeBuilder<ReportHandling> b)
    {
        b.ToTable("report_handlings");
        b.HasIndex(x => x.ConversationId);
        b.HasIndex(x => new { x.StartedAt, x.EndedAt });
        b.HasIndex(x => x.EndedAt);
    }
}

internal sealed class ReportOperatorIntervalConfiguration : IEntityTypeConfiguration<ReportOperatorInterval>
{
    public void Configure(EntityTypeBuilder<ReportOperatorInterval> b)
    {
        b.ToTable("report_operator_intervals");
        b.Property(x => x.State).HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(Operators.Operator.MaxStatusReasonLength);
        b.HasIndex(x => new { x.IntervalStart, x.OperatorId, x.State, x.Reason }).IsUnique();
    }
}

internal sealed class ReportDirtyIntervalConfiguration : IEntityTypeConfiguration<ReportDirtyInterval>
{
    public void Configure(EntityTypeBuilder<ReportDirtyInterval> b)
    {
        b.ToTable("report_dirty_intervals");
        b.HasKey(x => x.IntervalStart);
        b.Property(x => x.IntervalStart).ValueGeneratedNever();
    }
}

internal sealed class ReportJobStateConfiguration : IEntityTypeConfiguration<ReportJobState>
{
    public void Configure(EntityTypeBuilder<ReportJobState> b)
    {
        b.ToTable("report_job_state");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(64);
    }
}

internal sealed class ReportExportConfiguration : IEntityTypeConfiguration<ReportExport>
{
    public void Configure(EntityTypeBuilder<ReportExport> b)
    {
        b.ToTable("report_exports");
        b.Property(x => x.Report).HasMaxLength(32);
        b.Property(x => x.Format).HasMaxLength(8);
        b.Property(x => x.Query).HasMaxLength(8000);
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.Error).HasMaxLength(2000);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.Status, x.CreatedAt });
        b.HasIndex(x => new { x.OwnerId, x.CreatedAt });
    }
}

internal sealed class ReportScheduleConfiguration : IEntityTypeConfiguration<ReportSchedule>
{
    public void Configure(EntityTypeBuilder<ReportSchedule> b)
    {
        b.ToTable("report_schedules");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Report).HasMaxLength(32);
        b.Property(x => x.Format).HasMaxLength(8);
        b.Property(x => x.Query).HasMaxLength(8000);
        b.Property(x => x.Period).HasMaxLength(32);
        b.Property(x => x.Frequency).HasMaxLength(16);
        b.Property(x => x.Email).HasMaxLength(320);
        b.HasIndex(x => new { x.Enabled, x.NextRunAt });
    }
}

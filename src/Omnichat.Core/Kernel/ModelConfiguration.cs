using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Kernel;

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> b)
    {
        b.ToTable("channels");
        b.Property(c => c.Name).HasMaxLength(Channel.MaxNameLength);
        b.Property(c => c.Key).HasMaxLength(64);
        b.HasIndex(c => c.Key).IsUnique();
        b.Property(c => c.Secret).HasMaxLength(128);
        b.Property(c => c.Settings).HasMaxLength(Channel.MaxSettingsLength);
        b.HasOne<Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Region>().WithMany().HasForeignKey(c => c.RegionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BranchConfiguration : IEntityTypeConfiguration<Branch>
{
    public void Configure(EntityTypeBuilder<Branch> b)
    {
        b.ToTable("branches");
        b.Property(x => x.Name).HasMaxLength(Branch.MaxNameLength);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.TimeZone).HasMaxLength(Branch.MaxTimeZoneLength);
    }
}

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.ToTable("regions");
        b.Property(x => x.Name).HasMaxLength(Region.MaxNameLength);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SkillGroupConfiguration : IEntityTypeConfiguration<SkillGroup>
{
    public void Configure(EntityTypeBuilder<SkillGroup> b)
    {
        b.ToTable("skill_groups");
        b.Property(x => x.Name).HasMaxLength(SkillGroup.MaxNameLength);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasMany(x => x.Channels).WithOne().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Branches).WithOne().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Regions).WithOne().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Backups).WithOne().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<SkillGroup>().WithMany().HasForeignKey(x => x.MaxQueueTargetGroupId).OnDelete(DeleteBehavior.SetNull);
        b.Property(x => x.OfflineMessage).HasMaxLength(SkillGroup.MaxOfflineMessageLength);
        b.Ignore(x => x.Settings);
    }
}

internal sealed class SkillGroupBackupConfiguration : IEntityTypeConfiguration<SkillGroupBackup>
{
    public void Configure(EntityTypeBuilder<SkillGroupBackup> b)
    {
        b.ToTable("skill_group_backups");
        b.HasKey(x => new { x.SkillGroupId, x.BackupGroupId });
        b.HasOne<SkillGroup>().WithMany().HasForeignKey(x => x.BackupGroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> b)
    {
        b.ToTable("routing_rules");
        b.Property(x => x.Topic).HasMaxLength(RoutingRule.MaxTopicLength);
        b.HasOne<SkillGroup>().WithMany().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Channel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.Position);
    }
}

internal sealed class StatusReasonConfiguration : IEntityTypeConfiguration<StatusReason>
{
    public void Configure(EntityTypeBuilder<StatusReason> b)
    {
        b.ToTable("status_reasons");
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(StatusReason.MaxCodeLength);
        b.Property(x => x.NameRu).HasMaxLength(StatusReason.MaxNameLength);
        b.Property(x => x.NameEn).HasMaxLength(StatusReason.MaxNameLength);
    }
}

internal sealed class OperatorStatusChangeConfiguration : IEntityTypeConfiguration<OperatorStatusChange>
{
    public void Configure(EntityTypeBuilder<OperatorStatusChange> b)
    {
        b.ToTable("operator_status_changes");
        b.Property(x => x.Reason).HasMaxLength(Operator.MaxStatusReasonLength);
        b.HasIndex(x => new { x.OperatorId, x.At });
        b.HasIndex(x => x.At);
    }
}

internal sealed class SkillGroupChannelConfiguration : IEntityTypeConfiguration<SkillGroupChannel>
{
    public void Configure(EntityTypeBuilder<SkillGroupChannel> b)
    {
        b.ToTable("skill_group_channels");
        b.HasKey(x => new { x.SkillGroupId, x.ChannelId });
        b.HasOne<Channel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SkillGroupBranchConfiguration : IEntityTypeConfiguration<SkillGroupBranch>
{
    public void Configure(EntityTypeBuilder<SkillGroupBranch> b)
    {
        b.ToTable("skill_group_branches");
        b.HasKey(x => new { x.SkillGroupId, x.BranchId });
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SkillGroupRegionConfiguration : IEntityTypeConfiguration<SkillGroupRegion>
{
    public void Configure(EntityTypeBuilder<SkillGroupRegion> b)
    {
        b.ToTable("skill_group_regions");
        b.HasKey(x => new { x.SkillGroupId, x.RegionId });
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OperatorConfiguration : IEntityTypeConfiguration<Operator>
{
    public void Configure(EntityTypeBuilder<Operator> b)
    {
        b.ToTable("operators");
        b.Property(x => x.Login).HasMaxLength(Operator.MaxLoginLength);
        b.HasIndex(x => x.Login).IsUnique();
        b.Property(x => x.DisplayName).HasMaxLength(Operator.MaxDisplayNameLength);
        b.Property(x => x.StatusReason).HasMaxLength(Operator.MaxStatusReasonLength);
        b.Ignore(x => x.DomainEvents);
        // Operator.Id equals the Identity user's id (created together in CreateOperator). EF cannot map a
        // foreign key from a typed id to Identity's Guid key, so the pairing is kept by that use case.
        b.HasMany(x => x.SkillGroups).WithOne().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.StatusChanges).WithOne().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.Status, x.Enabled });
        b.HasIndex(x => x.WrapUpUntil);
    }
}

internal sealed class OperatorSkillGroupConfiguration : IEntityTypeConfiguration<OperatorSkillGroup>
{
    public void Configure(EntityTypeBuilder<OperatorSkillGroup> b)
    {
        b.ToTable("operator_skill_groups");
        b.HasKey(x => new { x.OperatorId, x.SkillGroupId });
        b.HasOne<SkillGroup>().WithMany().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> b)
    {
        b.ToTable("clients");
        b.Property(x => x.DisplayName).HasMaxLength(Client.MaxNameLength);
        b.Property(x => x.Phone).HasMaxLength(Client.MaxPhoneLength);
        b.Property(x => x.Email).HasMaxLength(Client.MaxEmailLength);
        b.Property(x => x.PhoneKey).HasMaxLength(Client.MaxPhoneLength);
        b.Property(x => x.Fields).HasConversion(
                v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
                v => string.IsNullOrEmpty(v)
                    ? new Dictionary<string, string>(StringComparer.Ordinal)
                    : new Dictionary<string, string>(System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null)!, StringComparer.Ordinal),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, string>(v, StringComparer.Ordinal)))
            .IsRequired();
        b.Property(x => x.EmailKey).HasMaxLength(Client.MaxEmailLength);
        b.Ignore(x => x.DomainEvents);
        b.HasIndex(x => x.Phone);
        b.HasIndex(x => x.Email);
        b.HasIndex(x => x.PhoneKey);
        b.HasIndex(x => x.EmailKey);
        b.HasMany(x => x.Identities).WithOne().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<Audit.AuditRecord>
{
    public void Configure(EntityTypeBuilder<Audit.AuditRecord> b)
    {
        b.ToTable("audit_records");
        b.Property(x => x.ActorId).HasMaxLength(64);
        b.Property(x => x.Action).HasMaxLength(Audit.AuditRecord.MaxActionLength);
        b.Property(x => x.SubjectType).HasMaxLength(Audit.AuditRecord.MaxSubjectLength);
        b.Property(x => x.SubjectId).HasMaxLength(Audit.AuditRecord.MaxSubjectLength);
        b.Property(x => x.RelatedId).HasMaxLength(Audit.AuditRecord.MaxSubjectLength);
        b.Property(x => x.Reason).HasMaxLength(Audit.AuditRecord.MaxReasonLength);
        b.HasIndex(x => new { x.SubjectType, x.SubjectId });
        b.HasIndex(x => new { x.SubjectType, x.RelatedId });
        b.HasIndex(x => x.At);
    }
}

internal sealed class ClientIdentityConfiguration : IEntityTypeConfiguration<ClientIdentity>
{
    public void Configure(EntityTypeBuilder<ClientIdentity> b)
    {
        b.ToTable("client_identities");
        b.Property(x => x.ExternalId).HasMaxLength(ClientIdentity.MaxExternalIdLength);
        b.HasIndex(x => new { x.ChannelKind, x.ExternalId }).IsUnique();
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.ToTable("conversations");
        b.Property(x => x.Resolution).HasMaxLength(SkillGroup.MaxResolutionCodeLength);
        b.Ignore(x => x.DomainEvents);
        b.Ignore(x => x.IsOpen);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Topic).HasMaxLength(Conversation.MaxTopicLength);
        b.Property(x => x.RatingComment).HasMaxLength(Conversation.MaxCommentLength);
        b.Property(x => x.NotifyEmail).HasMaxLength(254);
        b.Property(x => x.ClosedBy).HasConversion<string>().HasMaxLength(32);
        b.HasOne<Channel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SkillGroup>().WithMany().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Messages).WithOne().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ClientId, x.Status });
        // At most one open conversation per client and channel, also when first messages race.
        b.HasIndex(x => new { x.ClientId, x.ChannelId }).IsUnique().HasFilter("\"Status\" NOT IN ('Closed', 'Rated')")
            .HasDatabaseName("IX_conversations_one_open_per_client_channel");
        b.HasIndex(x => new { x.Status, x.SkillGroupId, x.Priority, x.QueuedAt });
        b.HasIndex(x => new { x.OperatorId, x.Status });
        b.HasIndex(x => x.CreatedAt);
        b.HasIndex(x => x.OfferExpiresAt);
        b.HasIndex(x => x.OfferedOperatorId);
        b.HasOne<Operator>().WithMany().HasForeignKey(x => x.OfferedOperatorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.ToTable("messages");
        b.Property(x => x.Text).HasMaxLength(Message.MaxTextLength);
        b.Property(x => x.AuthorId).HasMaxLength(64);
        b.Property(x => x.ClientMessageId).HasMaxLength(Message.MaxClientMessageIdLength);
        b.HasIndex(x => new { x.ConversationId, x.Seq }).IsUnique();
        // The same sender key never creates a second message from that sender (across conversations).
        b.HasIndex(x => new { x.AuthorId, x.ClientMessageId }).IsUnique();
        b.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageAttachmentConfiguration : IEntityTypeConfiguration<MessageAttachment>
{
    public void Configure(EntityTypeBuilder<MessageAttachment> b)
    {
        b.ToTable("message_attachments");
        b.Property(x => x.FileName).HasMaxLength(MessageAttachment.MaxFileNameLength);
        b.Property(x => x.ContentType).HasMaxLength(255);
        b.Property(x => x.StorageKey).HasMaxLength(512);
        b.Property(x => x.PreviewKey).HasMaxLength(512);
        b.Property(x => x.UploadedBy).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.HasIndex(x => new { x.UploadedBy, x.MessageId });
        b.HasIndex(x => new { x.MessageId, x.CreatedAt });
        b.HasIndex(x => x.ConversationId);
    }
}

internal sealed class ConversationEventConfiguration : IEntityTypeConfiguration<ConversationEvent>
{
    public void Configure(EntityTypeBuilder<ConversationEvent> b)
    {
        b.ToTable("conversation_events");
        b.Property(x => x.Type).HasMaxLength(32);
        b.Property(x => x.ActorId).HasMaxLength(64);
        b.Property(x => x.Data).HasMaxLength(4000);
        b.HasIndex(x => new { x.ConversationId, x.Id });
        b.HasIndex(x => x.OccurredAt);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.Property(x => x.StreamKey).HasMaxLength(128);
        b.Property(x => x.Type).HasMaxLength(128);
        b.HasIndex(x => x.EventId).IsUnique();
        b.HasIndex(x => new { x.DispatchedAt, x.Id });
    }
}

internal sealed class ProcessedEventConfiguration : IEntityTypeConfiguration<ProcessedEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedEvent> b)
    {
        b.ToTable("processed_events");
        b.HasKey(x => new { x.Listener, x.EventId });
        b.Property(x => x.Listener).HasMaxLength(128);
    }
}

internal sealed class OutgoingMailConfiguration : IEntityTypeConfiguration<OutgoingMail>
{
    public void Configure(EntityTypeBuilder<OutgoingMail> b)
    {
        b.ToTable("outgoing_mails");
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.ToAddress).HasMaxLength(OutgoingMail.MaxAddressLength);
        b.Property(x => x.ToName).HasMaxLength(OutgoingMail.MaxNameLength);
        b.Property(x => x.Subject).HasMaxLength(OutgoingMail.MaxSubjectLength);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => x.CreatedAt);
        b.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MailId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutgoingMailAttachmentConfiguration : IEntityTypeConfiguration<OutgoingMailAttachment>
{
    public void Configure(EntityTypeBuilder<OutgoingMailAttachment> b)
    {
        b.ToTable("outgoing_mail_attachments");
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(255);
    }
}

internal sealed class MailSettingsConfiguration : IEntityTypeConfiguration<MailSettingsRecord>
{
    public void Configure(EntityTypeBuilder<MailSettingsRecord> b)
    {
        b.ToTable("mail_settings");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Host).HasMaxLength(253);
        b.Property(x => x.UserName).HasMaxLength(256);
        b.Property(x => x.FromAddress).HasMaxLength(OutgoingMail.MaxAddressLength);
        b.Property(x => x.FromName).HasMaxLength(OutgoingMail.MaxNameLength);
    }
}

internal sealed class PushDeviceConfiguration : IEntityTypeConfiguration<Push.PushDevice>
{
    public void Configure(EntityTypeBuilder<Push.PushDevice> b)
    {
        b.ToTable("push_devices");
        b.Property(x => x.Platform).HasMaxLength(16);
        b.Property(x => x.Token).HasMaxLength(Push.PushDevice.MaxTokenLength);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ClientId, x.Token }).IsUnique();
        b.HasIndex(x => x.Token);
    }
}

internal sealed class ReplyTemplateConfiguration : IEntityTypeConfiguration<Templates.ReplyTemplate>
{
    public void Configure(EntityTypeBuilder<Templates.ReplyTemplate> b)
    {
        b.ToTable("reply_templates");
        b.Property(x => x.Title).HasMaxLength(Templates.ReplyTemplate.MaxTitleLength);
        b.Property(x => x.Category).HasMaxLength(Templates.ReplyTemplate.MaxCategoryLength);
        b.Property(x => x.Text).HasMaxLength(Templates.ReplyTemplate.MaxTextLength);
        b.HasOne<SkillGroup>().WithMany().HasForeignKey(x => x.SkillGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Operator>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.Scope, x.SkillGroupId });
        b.HasIndex(x => x.OwnerId);
    }
}

internal sealed class ReplyTemplateFavouriteConfiguration : IEntityTypeConfiguration<Templates.ReplyTemplateFavourite>
{
    public void Configure(EntityTypeBuilder<Templates.ReplyTemplateFavourite> b)
    {
        b.ToTable("reply_template_favourites");
        b.HasKey(x => new { x.OperatorId, x.TemplateId });
        b.HasOne<Templates.ReplyTemplate>().WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InboundEventConfiguration : IEntityTypeConfiguration<Channels.Messengers.InboundEvent>
{
    public void Configure(EntityTypeBuilder<Channels.Messengers.InboundEvent> b)
    {
        b.ToTable("messenger_inbox");
        b.Property(x => x.Key).HasMaxLength(Channels.Messengers.InboundEvent.MaxKeyLength);
        b.Property(x => x.LastError).HasMaxLength(Channels.Messengers.MessengerDelivery.MaxErrorLength);
        b.HasIndex(x => new { x.ChannelId, x.Key }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasOne<Channel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessengerDeliveryConfiguration : IEntityTypeConfiguration<Channels.Messengers.MessengerDelivery>
{
    public void Configure(EntityTypeBuilder<Channels.Messengers.MessengerDelivery> b)
    {
        b.ToTable("messenger_deliveries");
        b.Ignore(x => x.DomainEvents);
        b.Property(x => x.Recipient).HasMaxLength(ClientIdentity.MaxExternalIdLength);
        b.Property(x => x.VendorMessageId).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(Channels.Messengers.MessengerDelivery.MaxErrorLength);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.ConversationId, x.Status, x.Position });
        b.HasIndex(x => new { x.ChannelId, x.VendorMessageId });
        b.HasIndex(x => x.MessageId);
    }
}

internal sealed class MessengerPollCursorConfiguration : IEntityTypeConfiguration<Channels.Messengers.MessengerPollCursor>
{
    public void Configure(EntityTypeBuilder<Channels.Messengers.MessengerPollCursor> b)
    {
        b.ToTable("messenger_poll_cursors");
        b.HasKey(x => x.ChannelId);
        b.Property(x => x.Cursor).HasMaxLength(2000);
    }
}

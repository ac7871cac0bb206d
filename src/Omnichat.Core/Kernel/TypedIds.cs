using System.Diagnostics.CodeAnalysis;

namespace Omnichat.Core.Kernel;

/// <summary>A strongly typed identifier over a <see cref="Guid"/> (version 7, time-ordered).</summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Static abstract factory for generic converters.")]
public interface ITypedId<TSelf> where TSelf : struct, ITypedId<TSelf>
{
    Guid Value { get; }

    static abstract TSelf From(Guid value);
}

public readonly record struct ChannelId(Guid Value) : ITypedId<ChannelId>
{
    public static ChannelId New() => new(Guid.CreateVersion7());
    public static ChannelId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct ClientId(Guid Value) : ITypedId<ClientId>
{
    public static ClientId New() => new(Guid.CreateVersion7());
    public static ClientId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct ClientIdentityId(Guid Value) : ITypedId<ClientIdentityId>
{
    public static ClientIdentityId New() => new(Guid.CreateVersion7());
    public static ClientIdentityId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct ConversationId(Guid Value) : ITypedId<ConversationId>
{
    public static ConversationId New() => new(Guid.CreateVersion7());
    public static ConversationId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct MessageId(Guid Value) : ITypedId<MessageId>
{
    public static MessageId New() => new(Guid.CreateVersion7());
    public static MessageId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct AttachmentId(Guid Value) : ITypedId<AttachmentId>
{
    public static AttachmentId New() => new(Guid.CreateVersion7());
    public static AttachmentId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct ReplyTemplateId(Guid Value) : ITypedId<ReplyTemplateId>
{
    public static ReplyTemplateId New() => new(Guid.CreateVersion7());
    public static ReplyTemplateId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct AuditRecordId(Guid Value) : ITypedId<AuditRecordId>
{
    public static AuditRecordId New() => new(Guid.CreateVersion7());
    public static AuditRecordId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

/// <summary>Identifies a staff member; equal to the ASP.NET Core Identity user id.</summary>
public readonly record struct OperatorId(Guid Value) : ITypedId<OperatorId>
{
    public static OperatorId New() => new(Guid.CreateVersion7());
    public static OperatorId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct SkillGroupId(Guid Value) : ITypedId<SkillGroupId>
{
    public static SkillGroupId New() => new(Guid.CreateVersion7());
    public static SkillGroupId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct BranchId(Guid Value) : ITypedId<BranchId>
{
    public static BranchId New() => new(Guid.CreateVersion7());
    public static BranchId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct RegionId(Guid Value) : ITypedId<RegionId>
{
    public static RegionId New() => new(Guid.CreateVersion7());
    public static RegionId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct RoutingRuleId(Guid Value) : ITypedId<RoutingRuleId>
{
    public static RoutingRuleId New() => new(Guid.CreateVersion7());
    public static RoutingRuleId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct ApiKeyId(Guid Value) : ITypedId<ApiKeyId>
{
    public static ApiKeyId New() => new(Guid.CreateVersion7());
    public static ApiKeyId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

public readonly record struct StaffSessionId(Guid Value) : ITypedId<StaffSessionId>
{
    public static StaffSessionId New() => new(Guid.CreateVersion7());
    public static StaffSessionId From(Guid value) => new(value);
    public override string ToString() => Value.ToString();
}

using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

public interface IConversationDomainEvent : IDomainEvent
{
    ConversationId ConversationId { get; }

    string IDomainEvent.StreamKey => "conversation:" + ConversationId;
}

public sealed record ConversationOpened(ConversationId ConversationId, ChannelId ChannelId, ClientId ClientId) : IConversationDomainEvent;

public sealed record ConversationHandedToBot(ConversationId ConversationId) : IConversationDomainEvent;

public sealed record ConversationQueued(ConversationId ConversationId, SkillGroupId SkillGroupId, int Priority) : IConversationDomainEvent;

public sealed record ConversationAssigned(ConversationId ConversationId, OperatorId OperatorId, SkillGroupId? SkillGroupId) : IConversationDomainEvent;

public sealed record ConversationTransferred(ConversationId ConversationId, OperatorId? FromOperatorId, OperatorId? ToOperatorId, SkillGroupId? ToSkillGroupId, string? Comment) : IConversationDomainEvent;

public sealed record ConversationClosed(ConversationId ConversationId, ActorKind ClosedBy, string? Topic, OperatorId? OperatorId = null, SkillGroupId? SkillGroupId = null) : IConversationDomainEvent;

public sealed record ConversationOffered(ConversationId ConversationId, OperatorId OperatorId, SkillGroupId? SkillGroupId, DateTimeOffset ExpiresAt) : IConversationDomainEvent;

public sealed record ConversationOfferMissed(ConversationId ConversationId, OperatorId OperatorId, SkillGroupId? SkillGroupId, bool Declined) : IConversationDomainEvent;

public sealed record ConversationOverflowed(ConversationId ConversationId, SkillGroupId SkillGroupId) : IConversationDomainEvent;

public sealed record ConversationRated(ConversationId ConversationId, int Score, string? Comment) : IConversationDomainEvent;

public sealed record MessageAppended(ConversationId ConversationId, MessageId MessageId, long Seq, MessageDirection Direction, ActorKind AuthorKind) : IConversationDomainEvent;

/// <summary>The assigned operator has read the conversation up to <c>Seq</c> (the client's read marks).</summary>
public sealed record ConversationReadByOperator(ConversationId ConversationId, long Seq) : IConversationDomainEvent;

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

public sealed record ConversationClosed(ConversationId ConversationId, ActorKind ClosedBy, string? Topic) : IConversationDomainEvent;

public sealed record ConversationRated(ConversationId ConversationId, int Score, string? Comment) : IConversationDomainEvent;

public sealed record MessageAppended(ConversationId ConversationId, MessageId MessageId, long Seq, MessageDirection Direction, ActorKind AuthorKind) : IConversationDomainEvent;

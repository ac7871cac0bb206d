using Omnichat.Core.Channels;

namespace Omnichat.Core.Conversations;

/// <summary>A conversation as staff see it in lists and the chat header.</summary>
public sealed record ConversationView(
    Guid Id, ConversationStatus Status, Guid ChannelId, ChannelKind ChannelKind, string ChannelName,
    Guid ClientId, string? ClientName, Guid? SkillGroupId, Guid? OperatorId, int Priority, string? Topic,
    long LastMessageSeq, long Unread,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? QueuedAt, DateTimeOffset? AssignedAt, DateTimeOffset? ClosedAt,
    Guid? OfferedOperatorId = null, DateTimeOffset? OfferExpiresAt = null, DateTimeOffset? OverflowedAt = null,
    int? QueuePosition = null, int? ExpectedWaitSeconds = null, string? NotifyEmail = null, string? Resolution = null, IReadOnlyList<string>? Tags = null);

public sealed record ConversationPage(IReadOnlyList<ConversationView> Items, int Total, int Page, int PageSize);

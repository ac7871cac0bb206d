using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

public enum ConversationChangeKind
{
    Message,
    Status,
    Typing,
    Offer,
    Operator,

    /// <summary>A message's delivery mark changed (messenger channels).</summary>
    Delivery,
}

/// <summary>Something staff screens on this node should show now.</summary>
public sealed record ConversationChange(
    ConversationChangeKind Kind, ConversationId ConversationId, OperatorId? OperatorId, SkillGroupId? SkillGroupId,
    MessageView? Message = null, bool? ClientTyping = null);

/// <summary>
/// In-process notifications for staff UIs (Blazor circuits) on this node, published by the realtime
/// push listener. Subscribers must not block: they hop onto their own dispatcher.
/// </summary>
public sealed class ConversationFeed
{
    public event Action<ConversationChange>? Changed;

    public void Publish(ConversationChange change) => Changed?.Invoke(change);
}

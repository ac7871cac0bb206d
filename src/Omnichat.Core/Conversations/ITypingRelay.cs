using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>Relays an operator's typing to the client's realtime connection (ephemeral, not stored).</summary>
public interface ITypingRelay
{
    Task OperatorTypingAsync(ConversationId conversationId, bool isTyping, CancellationToken cancellationToken);
}

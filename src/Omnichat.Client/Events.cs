namespace Omnichat.Client;

/// <summary>A message of the conversation reached the app (exactly once per message and client store).</summary>
public sealed class MessageReceivedEventArgs(Message message) : EventArgs
{
    /// <summary>The message.</summary>
    public Message Message { get; } = message;
}

/// <summary>The known state of the current conversation changed (first load, queued, assigned, transferred, closed).</summary>
public sealed class ConversationChangedEventArgs(Conversation conversation) : EventArgs
{
    /// <summary>The conversation as now known.</summary>
    public Conversation Conversation { get; } = conversation;
}

/// <summary>A conversation this client saw open was closed; the next message opens a new one.</summary>
public sealed class ConversationClosedEventArgs(Conversation conversation) : EventArgs
{
    /// <summary>The closed conversation.</summary>
    public Conversation Conversation { get; } = conversation;
}

/// <summary>The operator started or stopped typing.</summary>
public sealed class TypingEventArgs(TypingEvent typing) : EventArgs
{
    /// <summary>Who is typing, in which conversation.</summary>
    public TypingEvent Typing { get; } = typing;
}

/// <summary>The connection state changed.</summary>
public sealed class ConnectionStateChangedEventArgs(ConnectionState previous, ConnectionState current) : EventArgs
{
    /// <summary>The state before.</summary>
    public ConnectionState Previous { get; } = previous;

    /// <summary>The state now.</summary>
    public ConnectionState Current { get; } = current;
}

/// <summary>The server refused a queued message for good (4xx): it was removed from the queue.</summary>
public sealed class SendFailedEventArgs(PendingMessage message, OmnichatClientException error) : EventArgs
{
    /// <summary>The message that will not be sent.</summary>
    public PendingMessage Message { get; } = message;

    /// <summary>Why (status, field, text).</summary>
    public OmnichatClientException Error { get; } = error;
}

/// <summary>The offline queue changed (a message was queued, sent or refused).</summary>
public sealed class PendingMessagesChangedEventArgs(IReadOnlyList<PendingMessage> pending) : EventArgs
{
    /// <summary>The messages still waiting, oldest first.</summary>
    public IReadOnlyList<PendingMessage> Pending { get; } = pending;
}

/// <summary>A background operation failed in a way retrying will not fix by itself (e.g. the channel was disabled).</summary>
public sealed class OmnichatErrorEventArgs(OmnichatClientException error) : EventArgs
{
    /// <summary>The failure.</summary>
    public OmnichatClientException Error { get; } = error;
}

/// <summary>The conversation's place in the queue changed (while it waits for an operator).</summary>
public sealed class QueuePositionChangedEventArgs(QueuePosition position) : EventArgs
{
    /// <summary>Position and expected wait.</summary>
    public QueuePosition Position { get; } = position;
}

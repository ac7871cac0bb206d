using Microsoft.Extensions.Logging;

namespace Omnichat.Client;

/// <summary>Log messages (never the token).</summary>
public sealed partial class OmnichatClient
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Omnichat session started for visitor {VisitorId} (client {ClientId}), valid until {ExpiresAt}")]
    private static partial void LogSessionStarted(ILogger logger, string visitorId, Guid clientId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Omnichat session of visitor {VisitorId} (client {ClientId}) resumed from the store")]
    private static partial void LogSessionResumed(ILogger logger, string visitorId, Guid clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Omnichat server refused the token of visitor {VisitorId}; a new session follows")]
    private static partial void LogSessionRefused(ILogger logger, string visitorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Omnichat is starting offline: {Reason}")]
    private static partial void LogStartingOffline(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {ClientMessageId} queued")]
    private static partial void LogQueued(ILogger logger, string clientMessageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {ClientMessageId} stored by the server in conversation {ConversationId} as #{Seq}")]
    private static partial void LogSent(ILogger logger, string clientMessageId, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} queued message(s) wait for a retry: {Reason}")]
    private static partial void LogSendDeferred(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server refused message {ClientMessageId} ({Status}, field {Field}): {Reason}; it was removed from the queue")]
    private static partial void LogSendRefused(ILogger logger, string clientMessageId, int status, string? field, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The offline queue could not be processed; retrying later")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up read failed, retrying later: {Reason}")]
    private static partial void LogCatchUpFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "An incoming event could not be processed")]
    private static partial void LogInboxFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Message {MessageId} (#{Seq}) was already reported")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {Old} was replaced by {New}")]
    private static partial void LogConversationSwitched(ILogger logger, Guid old, Guid @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Realtime connected ({ConnectionId})")]
    private static partial void LogRealtimeConnected(ILogger logger, string? connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Realtime connection lost, reconnecting: {Reason}")]
    private static partial void LogRealtimeReconnecting(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Realtime connection closed, restarting it: {Reason}")]
    private static partial void LogRealtimeClosed(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Realtime connection attempt {Attempt} failed: {Reason}")]
    private static partial void LogRealtimeFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Typing notification not sent: {Reason}")]
    private static partial void LogTypingFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection state {Previous} -> {Current}")]
    private static partial void LogState(ILogger logger, ConnectionState previous, ConnectionState current);

    [LoggerMessage(Level = LogLevel.Error, Message = "The app's {Event} handler threw")]
    private static partial void LogHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A background loop of the client failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}

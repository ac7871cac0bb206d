using System.Text.Json;
using System.Text.Json.Serialization;

namespace Omnichat.Client.Internal;

/// <summary><c>POST /api/client/v1/sessions</c> body.</summary>
internal sealed record SessionRequest(string ChannelKey, string? VisitorId, OmnichatUser? User, string? Locale);

/// <summary><c>POST /api/client/v1/sessions</c> answer.</summary>
internal sealed record SessionResponse(string VisitorId, Guid ClientId, string Token, DateTimeOffset ExpiresAt);

/// <summary>The session as persisted in the store: the token and for which identity it was issued.</summary>
internal sealed record StoredSession(string VisitorId, Guid ClientId, string Token, DateTimeOffset ExpiresAt, string IdentityKey);

/// <summary><c>POST /api/client/v1/messages</c> body.</summary>
internal sealed record SendMessageRequest(string ClientMessageId, string? Text, string? NotifyEmail, IReadOnlyList<Guid>? AttachmentIds);

/// <summary><c>POST /api/client/v1/transcript</c> body.</summary>
internal sealed record TranscriptRequest(string? Email, Guid? ConversationId, string? Locale);

internal sealed record PushTokenRequest(string Platform, string Token);

internal sealed record RatingRequest(Guid? ConversationId, int Score, string? Comment);

/// <summary>Hub <c>conversation</c> event.</summary>
internal sealed record ConversationStatusEvent(Guid ConversationId, ConversationStatus Status, string? OperatorName);

/// <summary>Hub <c>session</c> event: this session's client was merged or split; a new session continues.</summary>
internal sealed record SessionEndedEvent(string? Reason);

/// <summary>The whole content of a <see cref="FileOmnichatStore"/> file.</summary>
internal sealed class FileStoreState
{
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<PendingMessage>> Queues { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Source-generated JSON metadata for every type the SDK reads or writes (no reflection: safe for trimmed
/// and AOT-compiled .NET MAUI apps). Protocol conventions: camelCase, enums as lower-case strings.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(MessagesPage))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(StoredSession))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(TranscriptRequest))]
[JsonSerializable(typeof(PushTokenRequest))]
[JsonSerializable(typeof(TranscriptReceipt))]
[JsonSerializable(typeof(Attachment))]
[JsonSerializable(typeof(RatingRequest))]
[JsonSerializable(typeof(Rating))]
[JsonSerializable(typeof(EndedConversation))]
[JsonSerializable(typeof(TypingEvent))]
[JsonSerializable(typeof(QueuePosition))]
[JsonSerializable(typeof(ConversationStatusEvent))]
[JsonSerializable(typeof(SessionEndedEvent))]
[JsonSerializable(typeof(PendingMessage))]
[JsonSerializable(typeof(FileStoreState))]
[JsonSerializable(typeof(bool))]
internal sealed partial class OmnichatJsonContext : JsonSerializerContext
{
    /// <summary>Options for the SignalR JSON protocol's payloads: the same conventions, the same metadata.</summary>
    public static JsonSerializerOptions HubPayloadOptions() =>
        new(JsonSerializerDefaults.Web) { TypeInfoResolver = Default, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}

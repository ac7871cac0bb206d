namespace Omnichat.Client;

/// <summary>
/// Durable storage of the SDK: a few small string values (visitor id, session token, last seen sequence) and
/// the offline send queue. Implement it over your own storage (SQLite, SecureStorage for the token…) or use
/// <see cref="FileOmnichatStore"/> (a JSON file in the app's data folder) or <see cref="InMemoryOmnichatStore"/>.
/// Methods may be called from any thread, also concurrently; implementations must be thread-safe and must
/// persist each change before the returned task completes.
/// </summary>
public interface IOmnichatStore
{
    /// <summary>The value stored under <paramref name="key"/>, or <see langword="null"/>.</summary>
    Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; <see langword="null"/> removes the key.</summary>
    Task SetValueAsync(string key, string? value, CancellationToken cancellationToken = default);

    /// <summary>The messages of the queue, in the order they were enqueued.</summary>
    Task<IReadOnlyList<PendingMessage>> GetQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Appends a message to the queue (a message whose <see cref="PendingMessage.ClientMessageId"/> is already queued is not added twice).</summary>
    Task EnqueueAsync(string queue, PendingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Removes the message with this id from the queue; false when it was not there.</summary>
    Task<bool> RemoveFromQueueAsync(string queue, string clientMessageId, CancellationToken cancellationToken = default);
}

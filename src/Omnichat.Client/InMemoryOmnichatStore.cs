namespace Omnichat.Client;

/// <summary>
/// Keeps everything in memory: the client is new after every app start and unsent messages are lost when
/// the process ends. For tests and short-lived tools; apps use <see cref="FileOmnichatStore"/> or their own store.
/// </summary>
public sealed class InMemoryOmnichatStore : IOmnichatStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PendingMessage>> _queues = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_values.TryGetValue(key, out var value) ? value : null);
        }
    }

    /// <inheritdoc />
    public Task SetValueAsync(string key, string? value, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (value is null)
            {
                _values.Remove(key);
            }
            else
            {
                _values[key] = value;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PendingMessage>> GetQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<PendingMessage> copy = _queues.TryGetValue(queue, out var list) ? [.. list] : [];
            return Task.FromResult(copy);
        }
    }

    /// <inheritdoc />
    public Task EnqueueAsync(string queue, PendingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            if (!_queues.TryGetValue(queue, out var list))
            {
                _queues[queue] = list = [];
            }

            if (!list.Exists(m => m.ClientMessageId == message.ClientMessageId))
            {
                list.Add(message);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveFromQueueAsync(string queue, string clientMessageId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_queues.TryGetValue(queue, out var list) && list.RemoveAll(m => m.ClientMessageId == clientMessageId) > 0);
        }
    }
}

using System.Collections.Concurrent;

namespace Omnichat.Core.Kernel;

/// <summary>Live connections per id on this node (a person may have several tabs or devices open).</summary>
public sealed class ConnectionCounter<TId> where TId : notnull
{
    private readonly ConcurrentDictionary<TId, int> _connections = new();

    public void Connected(TId id) => _connections.AddOrUpdate(id, 1, (_, n) => n + 1);

    public void Disconnected(TId id)
    {
        while (_connections.TryGetValue(id, out var n))
        {
            if (n <= 1 ? _connections.TryRemove(new KeyValuePair<TId, int>(id, n)) : _connections.TryUpdate(id, n - 1, n))
            {
                return;
            }
        }
    }

    public bool IsConnected(TId id) => _connections.ContainsKey(id);

    public IReadOnlyList<TId> Connected() => _connections.Keys.ToList();
}

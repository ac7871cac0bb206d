using System.Collections.Concurrent;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Push;

/// <summary>Clients with a live realtime connection on this node (they get messages by push over the hub, not by the push gateway).</summary>
public sealed class ClientPresence
{
    private readonly ConcurrentDictionary<ClientId, int> _connections = new();

    public void Connected(ClientId id) => _connections.AddOrUpdate(id, 1, (_, n) => n + 1);

    public void Disconnected(ClientId id)
    {
        while (_connections.TryGetValue(id, out var n))
        {
            if (n <= 1 ? _connections.TryRemove(new KeyValuePair<ClientId, int>(id, n)) : _connections.TryUpdate(id, n - 1, n))
            {
                return;
            }
        }
    }

    public bool IsConnected(ClientId id) => _connections.ContainsKey(id);
}

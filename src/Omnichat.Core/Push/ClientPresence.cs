using Omnichat.Core.Kernel;

namespace Omnichat.Core.Push;

/// <summary>Clients with a live realtime connection on this node (they get messages over the hub, not through the push gateway).</summary>
public sealed class ClientPresence
{
    private readonly ConnectionCounter<ClientId> _connections = new();

    public void Connected(ClientId id) => _connections.Connected(id);

    public void Disconnected(ClientId id) => _connections.Disconnected(id);

    public bool IsConnected(ClientId id) => _connections.IsConnected(id);
}

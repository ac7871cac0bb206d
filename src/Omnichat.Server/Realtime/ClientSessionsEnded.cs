using Microsoft.AspNetCore.SignalR;
using Omnichat.Core.Clients;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Server.Realtime;

/// <summary>
/// After a merge or a split the old client's hub connections are told (<c>session</c>) to start a new
/// session: their tokens are refused from now on, and the new session lands on the client that holds the
/// conversations (docs/client-protocol.md).
/// </summary>
public sealed class ClientSessionsEnded(IHubContext<ClientHub> clients) : IDomainEventListener<ClientsMerged>, IDomainEventListener<ClientSplit>
{
    public Task HandleAsync(EventEnvelope envelope, ClientsMerged domainEvent, CancellationToken cancellationToken) =>
        clients.Clients.Group(ClientHub.GroupOf(domainEvent.MergedId)).SendAsync("session", new SessionEndedEvent("merged"), cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ClientSplit domainEvent, CancellationToken cancellationToken) =>
        clients.Clients.Group(ClientHub.GroupOf(domainEvent.ClientId)).SendAsync("session", new SessionEndedEvent("split"), cancellationToken);
}

/// <summary>Hub <c>session</c> event: start a new session (same visitor id).</summary>
public sealed record SessionEndedEvent(string Reason);

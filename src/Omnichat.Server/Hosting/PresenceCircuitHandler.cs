using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Server.Hosting;

/// <summary>An open workstation (Blazor circuit with a live connection) counts as the operator's presence.</summary>
public sealed class PresenceCircuitHandler(AuthenticationStateProvider authentication, OperatorPresence presence) : CircuitHandler
{
    private OperatorId? _operator;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_operator is null)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            if (Guid.TryParse(state.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
            {
                _operator = OperatorId.From(id);
                presence.Connected(_operator.Value);
            }
        }
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_operator is { } op)
        {
            presence.Disconnected(op);
            _operator = null;
        }

        return Task.CompletedTask;
    }
}

using System.Security.Claims;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

/// <summary>The identity carried by a client token (widget, mobile app): which client, in which channel.</summary>
public sealed record ClientPrincipal(ClientId ClientId, ChannelId ChannelId, string VisitorId)
{
    /// <summary>Authentication scheme of client tokens; separate from staff tokens so neither opens the other's API.</summary>
    public const string Scheme = "ClientToken";

    public const string ClientIdClaim = "omnichat:client";
    public const string ChannelIdClaim = "omnichat:channel";
    public const string VisitorIdClaim = "omnichat:visitor";

    public ClaimsPrincipal ToClaimsPrincipal() => new(new ClaimsIdentity(
    [
        new Claim(ClientIdClaim, ClientId.ToString()),
        new Claim(ChannelIdClaim, ChannelId.ToString()),
        new Claim(VisitorIdClaim, VisitorId),
    ], Scheme));

    public static ClientPrincipal? From(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == Scheme
        && Guid.TryParse(user.FindFirst(ClientIdClaim)?.Value, out var client)
        && Guid.TryParse(user.FindFirst(ChannelIdClaim)?.Value, out var channel)
            ? new ClientPrincipal(ClientId.From(client), ChannelId.From(channel), user.FindFirst(VisitorIdClaim)?.Value ?? "")
            : null;
}

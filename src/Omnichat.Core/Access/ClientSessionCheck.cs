using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

/// <summary>
/// A client token names a client and the visitor id it was issued for. After a merge or a split the visitor
/// may belong to another client: the token is then stale and refused (401), and the SDK's renewed session —
/// same visitor id — lands on the client that holds the conversations now.
/// </summary>
public sealed class ClientSessionCheck(OmnichatDbContext db)
{
    public Task<bool> IsCurrentAsync(ClientPrincipal client, CancellationToken cancellationToken)
    {
        var visitor = "visitor:" + client.VisitorId;
        return db.ClientIdentities.AsNoTracking().AnyAsync(i => i.ClientId == client.ClientId && i.ExternalId == visitor, cancellationToken);
    }
}

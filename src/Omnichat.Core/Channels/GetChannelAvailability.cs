using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Clients;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Channels;

/// <summary>
/// Whether anybody is working for a channel now: an enabled, ready operator in a group the channel's
/// conversations can reach (connected to the channel, or named by a routing rule that can match it).
/// The widget offers its offline form when nobody is.
/// </summary>
public static class GetChannelAvailability
{
    public sealed record Response(bool Online);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<Response> HandleAsync(string key, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.AsNoTracking().Where(c => c.Key == key && c.Kind == ChannelKind.Webchat)
                              .Select(c => new { c.Id, c.Enabled }).FirstOrDefaultAsync(cancellationToken)
                          ?? throw new NotFoundException("Channel", key);
            if (!channel.Enabled)
            {
                throw new StartClientSession.ChannelDisabledException();
            }

            var groups = await db.SkillGroups.Where(g => g.Channels.Any(c => c.ChannelId == channel.Id)).Select(g => g.Id)
                .Concat(db.RoutingRules.Where(r => r.ChannelId == null || r.ChannelId == channel.Id).Select(r => r.SkillGroupId))
                .Distinct().ToListAsync(cancellationToken);
            var online = await db.Operators.AnyAsync(o => o.Enabled && o.Status == OperatorStatus.Ready
                                                          && o.SkillGroups.Any(m => groups.Contains(m.SkillGroupId)), cancellationToken);
            return new Response(online);
        }
    }
}

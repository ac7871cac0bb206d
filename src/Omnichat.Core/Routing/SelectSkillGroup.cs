using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>
/// Chooses the skill group and priority of a conversation (PRODUCT R1): routing rules first (channel,
/// branch, region, topic), then the channel's default — the connected group that also matches the
/// branch and region most specifically (ties by name).
/// </summary>
public sealed class SelectSkillGroup(OmnichatDbContext db)
{
    public async Task<(SkillGroupId Group, int Priority)?> ForAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var rules = await db.RoutingRules.AsNoTracking().ToListAsync(cancellationToken);
        var rule = rules.OrderBy(r => r.Position).ThenBy(r => r.Id.Value)
            .FirstOrDefault(r => r.Matches(conversation.ChannelId, conversation.BranchId, conversation.RegionId, conversation.Topic));
        if (rule is not null)
        {
            return (rule.SkillGroupId, rule.Priority);
        }

        var connected = await db.SkillGroups.AsNoTracking()
            .Where(g => g.Channels.Any(c => c.ChannelId == conversation.ChannelId))
            .Select(g => new
            {
                g.Id, g.Name,
                Branches = g.Branches.Select(b => b.BranchId).ToList(),
                Regions = g.Regions.Select(r => r.RegionId).ToList(),
            })
            .ToListAsync(cancellationToken);
        var best = connected
            .Where(g => (g.Branches.Count == 0 || (conversation.BranchId is { } b && g.Branches.Contains(b)))
                        && (g.Regions.Count == 0 || (conversation.RegionId is { } r && g.Regions.Contains(r))))
            .OrderByDescending(g => (g.Branches.Count > 0 ? 2 : 0) + (g.Regions.Count > 0 ? 1 : 0))
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .FirstOrDefault()
            // Never leave a conversation without a queue: any group of the channel is better than none.
            ?? connected.OrderBy(g => g.Name, StringComparer.Ordinal).FirstOrDefault();
        return best is null ? null : (best.Id, 0);
    }
}

namespace Omnichat.Core.Routing;

public sealed record SkillGroupView(
    Guid Id, string Name, IReadOnlyList<Guid> ChannelIds, IReadOnlyList<Guid> BranchIds, IReadOnlyList<Guid> RegionIds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SkillGroupView From(SkillGroup g) => new(
        g.Id.Value, g.Name,
        g.Channels.Select(c => c.ChannelId.Value).Order().ToList(),
        g.Branches.Select(b => b.BranchId.Value).Order().ToList(),
        g.Regions.Select(r => r.RegionId.Value).Order().ToList(),
        g.CreatedAt, g.UpdatedAt);
}

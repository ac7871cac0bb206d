using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>A skill group receives the conversations of its connected channels, branches and regions.</summary>
public sealed class SkillGroup
{
    public const int MaxNameLength = 200;

    private SkillGroup()
    {
    }

    public SkillGroupId Id { get; private set; }

    public string Name { get; private set; } = "";

    public List<SkillGroupChannel> Channels { get; private set; } = [];

    public List<SkillGroupBranch> Branches { get; private set; } = [];

    public List<SkillGroupRegion> Regions { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static SkillGroup Create(string name, IEnumerable<ChannelId> channels, IEnumerable<BranchId> branches, IEnumerable<RegionId> regions, DateTimeOffset now)
    {
        var group = new SkillGroup { Id = SkillGroupId.New(), Name = name.Trim(), CreatedAt = now, UpdatedAt = now };
        group.Connect(channels, branches, regions);
        return group;
    }

    public void Update(string name, IEnumerable<ChannelId> channels, IEnumerable<BranchId> branches, IEnumerable<RegionId> regions, DateTimeOffset now)
    {
        Name = name.Trim();
        Connect(channels, branches, regions);
        UpdatedAt = now;
    }

    private void Connect(IEnumerable<ChannelId> channels, IEnumerable<BranchId> branches, IEnumerable<RegionId> regions)
    {
        Sync(Channels, channels.Distinct().ToList(), l => l.ChannelId, id => new SkillGroupChannel { SkillGroupId = Id, ChannelId = id });
        Sync(Branches, branches.Distinct().ToList(), l => l.BranchId, id => new SkillGroupBranch { SkillGroupId = Id, BranchId = id });
        Sync(Regions, regions.Distinct().ToList(), l => l.RegionId, id => new SkillGroupRegion { SkillGroupId = Id, RegionId = id });
    }

    // Keeps unchanged link rows in place so EF issues only the inserts and deletes that changed.
    private static void Sync<TLink, TId>(List<TLink> links, List<TId> wanted, Func<TLink, TId> idOf, Func<TId, TLink> create)
    {
        links.RemoveAll(l => !wanted.Contains(idOf(l)));
        foreach (var id in wanted.Where(id => !links.Exists(l => EqualityComparer<TId>.Default.Equals(idOf(l), id))))
        {
            links.Add(create(id));
        }
    }
}

public sealed class SkillGroupChannel
{
    public SkillGroupId SkillGroupId { get; set; }

    public ChannelId ChannelId { get; set; }
}

public sealed class SkillGroupBranch
{
    public SkillGroupId SkillGroupId { get; set; }

    public BranchId BranchId { get; set; }
}

public sealed class SkillGroupRegion
{
    public SkillGroupId SkillGroupId { get; set; }

    public RegionId RegionId { get; set; }
}

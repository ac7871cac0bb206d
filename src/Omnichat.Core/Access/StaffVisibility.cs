using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

/// <summary>
/// The data a staff member (or an API key) may see at most (PRODUCT S1): everything, or the conversations of some
/// skill groups, branches and regions (any of them). The operator's own conversations and the groups they are a
/// member of are always inside. Enforced once, as a query filter on conversations (see <see cref="OmnichatDbContext"/>).
/// </summary>
public sealed class StaffVisibility
{
    public const int MaxItems = 500;

    private StaffVisibility()
    {
    }

    /// <summary>The operator's id, or an API key's id.</summary>
    public Guid OwnerId { get; private set; }

    public bool All { get; private set; }

    public List<Guid> SkillGroupIds { get; private set; } = [];

    public List<Guid> BranchIds { get; private set; } = [];

    public List<Guid> RegionIds { get; private set; } = [];

    public DateTimeOffset UpdatedAt { get; private set; }

    public static StaffVisibility Create(Guid ownerId, ScopeSpec spec, DateTimeOffset now)
    {
        var v = new StaffVisibility { OwnerId = ownerId };
        v.Set(spec, now);
        return v;
    }

    public void Set(ScopeSpec spec, DateTimeOffset now)
    {
        All = spec.All;
        SkillGroupIds = spec.All ? [] : [.. (spec.SkillGroupIds ?? []).Distinct()];
        BranchIds = spec.All ? [] : [.. (spec.BranchIds ?? []).Distinct()];
        RegionIds = spec.All ? [] : [.. (spec.RegionIds ?? []).Distinct()];
        UpdatedAt = now;
    }

    public ScopeSpec ToSpec() => new(All, SkillGroupIds, BranchIds, RegionIds);
}

/// <summary>A visibility scope as the API reads and writes it.</summary>
public sealed record ScopeSpec(bool All, IReadOnlyList<Guid>? SkillGroupIds = null, IReadOnlyList<Guid>? BranchIds = null, IReadOnlyList<Guid>? RegionIds = null)
{
    public static ScopeSpec Everything { get; } = new(true);

    public static ScopeSpec Nothing { get; } = new(false);
}

/// <summary>The resolved data boundary of one request (typed ids, ready for the query filter).</summary>
public sealed record DataBoundary(bool All, IReadOnlyList<SkillGroupId> SkillGroups, IReadOnlyList<BranchId> Branches, IReadOnlyList<RegionId> Regions)
{
    public static DataBoundary Everything { get; } = new(true, [], [], []);
}

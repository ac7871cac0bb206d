using Omnichat.Core.Access;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Admin;

/// <summary>A visibility scope being edited (<see cref="ScopeEditor"/>): everything, or chosen skill groups, branches and regions.</summary>
public sealed class ScopeChoice
{
    public bool All { get; set; }

    public List<Guid> Groups { get; } = [];

    public List<Guid> Branches { get; } = [];

    public List<Guid> Regions { get; } = [];

    /// <summary>Takes a stored scope (none: nothing chosen).</summary>
    public void Set(ScopeSpec? spec)
    {
        All = spec?.All ?? false;
        Groups.Clear();
        Branches.Clear();
        Regions.Clear();
        if (spec is { All: false })
        {
            Groups.AddRange(spec.SkillGroupIds ?? []);
            Branches.AddRange(spec.BranchIds ?? []);
            Regions.AddRange(spec.RegionIds ?? []);
        }
    }

    public ScopeSpec ToSpec() => All ? ScopeSpec.Everything : new ScopeSpec(false, [.. Groups], [.. Branches], [.. Regions]);

    /// <summary>True when this choice is what <paramref name="spec"/> already says (the order of the items aside).</summary>
    public bool Same(ScopeSpec? spec)
    {
        var stored = spec ?? ScopeSpec.Nothing;
        return stored.All == All && (All || (SameSet(Groups, stored.SkillGroupIds) && SameSet(Branches, stored.BranchIds) && SameSet(Regions, stored.RegionIds)));
    }

    /// <summary>A scope for people: "everything", "own groups only", or the named groups, branches and regions.</summary>
    public static string Describe(ScopeSpec? spec, AdminCatalog catalog)
    {
        if (spec is null)
        {
            return "—";
        }

        if (spec.All)
        {
            return UiText.Get("admin.scope.everything");
        }

        var parts = new List<string>();
        Add(parts, "admin.scope.groups", spec.SkillGroupIds, id => catalog.Groups.FirstOrDefault(g => g.Id == id)?.Name);
        Add(parts, "admin.scope.branches", spec.BranchIds, id => catalog.Branches.FirstOrDefault(b => b.Id == id)?.Name);
        Add(parts, "admin.scope.regions", spec.RegionIds, id => catalog.Regions.FirstOrDefault(r => r.Id == id)?.Name);
        return parts.Count == 0 ? UiText.Get("admin.scope.ownOnly") : string.Join("; ", parts);
    }

    private static void Add(List<string> parts, string label, IReadOnlyList<Guid>? ids, Func<Guid, string?> name)
    {
        if (ids is { Count: > 0 })
        {
            parts.Add(UiText.Get(label) + ": " + string.Join(", ", ids.Select(id => name(id) ?? id.ToString())));
        }
    }

    private static bool SameSet(List<Guid> chosen, IReadOnlyList<Guid>? stored) => chosen.ToHashSet().SetEquals(stored ?? []);
}

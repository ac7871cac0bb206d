using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

/// <summary>Validation of a visibility scope: sizes here, existence of every id against the database.</summary>
public static class ScopeRules
{
    public static void Shape<T>(IRuleBuilderInitial<T, ScopeSpec?> rule) =>
        rule.Must(s => s is null || ((s.SkillGroupIds?.Count ?? 0) <= StaffVisibility.MaxItems && (s.BranchIds?.Count ?? 0) <= StaffVisibility.MaxItems
                                     && (s.RegionIds?.Count ?? 0) <= StaffVisibility.MaxItems))
            .WithMessage($"A scope lists at most {StaffVisibility.MaxItems} groups, branches and regions each.");

    /// <summary>Unknown ids are refused with the field named (an id of nothing would silently widen nothing, but hides a typo).</summary>
    public static async Task CheckExistsAsync(OmnichatDbContext db, ScopeSpec spec, string field, CancellationToken cancellationToken)
    {
        if (spec.All)
        {
            return;
        }

        var groups = (spec.SkillGroupIds ?? []).Distinct().Select(SkillGroupId.From).ToList();
        var branches = (spec.BranchIds ?? []).Distinct().Select(BranchId.From).ToList();
        var regions = (spec.RegionIds ?? []).Distinct().Select(RegionId.From).ToList();
        if (groups.Count > 0 && await db.SkillGroups.CountAsync(g => groups.Contains(g.Id), cancellationToken) != groups.Count)
        {
            throw new FieldValidationException(field + ".skillGroupIds", "Unknown skill group in the scope.");
        }

        if (branches.Count > 0 && await db.Branches.CountAsync(b => branches.Contains(b.Id), cancellationToken) != branches.Count)
        {
            throw new FieldValidationException(field + ".branchIds", "Unknown branch in the scope.");
        }

        if (regions.Count > 0 && await db.Regions.CountAsync(r => regions.Contains(r.Id), cancellationToken) != regions.Count)
        {
            throw new FieldValidationException(field + ".regionIds", "Unknown region in the scope.");
        }
    }
}

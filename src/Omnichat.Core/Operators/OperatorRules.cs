using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>Rules shared by creating and updating staff members.</summary>
internal static class OperatorRules
{
    public static void Roles<T>(IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(r => r is null || (r.Count <= StaffRoles.All.Count && r.All(StaffRoles.All.Contains)))
            .WithMessage($"Roles must be among: {string.Join(", ", StaffRoles.All)}.");

    /// <summary>Optional e-mail (for password reset); empty clears it on update.</summary>
    public static void Email<T>(IRuleBuilder<T, string?> rule) =>
        rule.Must(e => string.IsNullOrEmpty(e) || Mail.MailRules.IsValidAddress(e)).WithMessage("'email' is not a valid e-mail address.");

    /// <summary>
    /// Memberships from a request: <c>skillGroups</c> (id and level) wins over <c>skillGroupIds</c> (levels kept,
    /// or <see cref="Operator.DefaultLevel"/> for new ones); null when the request changes neither.
    /// </summary>
    public static async Task<List<SkillMembership>?> MembershipsAsync(
        OmnichatDbContext db, IReadOnlyList<Guid>? ids, IReadOnlyList<SkillGroupLevel>? levels, IReadOnlyList<OperatorSkillGroup> existing,
        CancellationToken cancellationToken)
    {
        if (levels is not null)
        {
            var checkedIds = await CheckSkillGroupsAsync(db, levels.Select(l => l.SkillGroupId).ToList(), cancellationToken, "skillGroups");
            return checkedIds.Select((id, i) => new SkillMembership(id, levels[i].Level ?? Operator.DefaultLevel)).ToList();
        }

        if (ids is null)
        {
            return null;
        }

        var groups = await CheckSkillGroupsAsync(db, ids, cancellationToken);
        return groups.Select(g => new SkillMembership(g, existing.FirstOrDefault(m => m.SkillGroupId == g)?.Level ?? Operator.DefaultLevel)).ToList();
    }

    public static void Levels<T>(IRuleBuilder<T, IReadOnlyList<SkillGroupLevel>?> rule) =>
        rule.Must(l => l is null || l.Count <= 200).WithMessage("At most 200 skill groups.")
            .Must(l => l is null || l.All(x => x.Level is null || x.Level is >= Operator.MinSkillLevel and <= Operator.MaxSkillLevel))
            .WithMessage($"A skill level is {Operator.MinSkillLevel} to {Operator.MaxSkillLevel}.");

    public static async Task<List<SkillGroupId>> CheckSkillGroupsAsync(OmnichatDbContext db, IReadOnlyList<Guid>? ids, CancellationToken cancellationToken, string field = "skillGroupIds")
    {
        var groups = (ids ?? []).Select(SkillGroupId.From).ToList();
        await References.EnsureAllExistAsync(db.SkillGroups, (set, list) => set.Where(g => list.Contains(g.Id)).Select(g => g.Id), groups, field, cancellationToken);
        return groups;
    }

    /// <summary>Turns Identity's password-policy errors into a 400 naming the <c>password</c> field.</summary>
    public static void ThrowIfFailed(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new FieldValidationException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    public static async Task<IReadOnlyList<string>> RolesOfAsync(OmnichatDbContext db, OperatorId id, CancellationToken cancellationToken) =>
        await (from ur in db.UserRoles
               join r in db.Roles on ur.RoleId equals r.Id
               where ur.UserId == id.Value
               select r.Name!).ToListAsync(cancellationToken);
}

/// <summary>A skill group membership in requests: the group and the operator's level in it (1–10, default 5).</summary>
public sealed record SkillGroupLevel(Guid SkillGroupId, int? Level);

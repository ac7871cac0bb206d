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

    public static async Task<List<SkillGroupId>> CheckSkillGroupsAsync(OmnichatDbContext db, IReadOnlyList<Guid>? ids, CancellationToken cancellationToken)
    {
        var groups = (ids ?? []).Select(SkillGroupId.From).ToList();
        await References.EnsureAllExistAsync(db.SkillGroups, (set, list) => set.Where(g => list.Contains(g.Id)).Select(g => g.Id), groups, "skillGroupIds", cancellationToken);
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

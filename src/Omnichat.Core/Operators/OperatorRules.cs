using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>Rules shared by creating and updating staff members.</summary>
internal static class OperatorRules
{
    public static void Roles<T>(IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(r => r is null || (r.Count <= 20 && r.All(n => !string.IsNullOrWhiteSpace(n) && n.Length <= Access.ManageRoles.MaxNameLength)))
            .WithMessage("At most 20 roles, each the name of a built-in (administrator, supervisor, operator, analyst) or a custom role.");

    /// <summary>
    /// Roles must exist; nobody grants a role with permissions they lack themselves, nor a visibility scope wider
    /// than their own (no escalation through user management). <paramref name="actor"/> null: the system (bootstrap).
    /// </summary>
    public static async Task CheckGrantAsync(OmnichatDbContext db, Access.StaffScope? actor, IReadOnlyList<string>? roles, Access.ScopeSpec? scope,
        CancellationToken cancellationToken)
    {
        if (roles is { Count: > 0 })
        {
            var known = await db.Roles.Where(r => roles.Contains(r.Name!)).Select(r => new { r.Id, r.Name }).ToListAsync(cancellationToken);
            var unknown = roles.FirstOrDefault(r => !known.Exists(k => k.Name == r));
            if (unknown is not null)
            {
                throw new FieldValidationException("roles", $"Unknown role '{unknown}'.");
            }

            if (actor is not null)
            {
                var ids = known.Select(k => k.Id).ToList();
                var custom = await db.RoleClaims.Where(c => ids.Contains(c.RoleId) && c.ClaimType == Access.Permissions.ClaimType)
                    .Select(c => c.ClaimValue!).ToListAsync(cancellationToken);
                var granted = roles.SelectMany(r => Access.Permissions.BuiltIn.TryGetValue(r, out var set) ? set : []).Concat(custom);
                try
                {
                    Access.ManageRoles.NoEscalation(actor, granted);
                }
                catch (ForbiddenException ex)
                {
                    throw new ForbiddenException(ex.Message, "roles");
                }
            }
        }

        if (scope is null)
        {
            return;
        }

        await Access.ScopeRules.CheckExistsAsync(db, scope, "scope", cancellationToken);
        if (actor is null || actor.Data.All)
        {
            return;
        }

        var wider = scope.All
                    || (scope.SkillGroupIds ?? []).Any(g => !actor.BoundaryGroups.Contains(SkillGroupId.From(g)))
                    || (scope.BranchIds ?? []).Any(b => !actor.Data.Branches.Contains(BranchId.From(b)))
                    || (scope.RegionIds ?? []).Any(r => !actor.Data.Regions.Contains(RegionId.From(r)));
        if (wider)
        {
            throw new ForbiddenException("You cannot grant a visibility scope wider than your own.", "scope");
        }
    }

    public static async Task<Access.ScopeSpec> ScopeOfAsync(OmnichatDbContext db, OperatorId id, IEnumerable<string> roles, CancellationToken cancellationToken)
    {
        if (roles.Contains(StaffRoles.Administrator))
        {
            return Access.ScopeSpec.Everything;
        }

        var row = await db.StaffVisibility.AsNoTracking().FirstOrDefaultAsync(v => v.OwnerId == id.Value, cancellationToken);
        return row?.ToSpec() ?? Access.ScopeSpec.Nothing;
    }

    /// <summary>Creates or replaces the scope row of a staff member (tracked; saved with the caller's changes).</summary>
    public static async Task SetScopeAsync(OmnichatDbContext db, OperatorId id, Access.ScopeSpec scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.StaffVisibility.FirstOrDefaultAsync(v => v.OwnerId == id.Value, cancellationToken);
        if (row is null)
        {
            db.StaffVisibility.Add(Access.StaffVisibility.Create(id.Value, scope, now));
        }
        else
        {
            row.Set(scope, now);
        }
    }

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

using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>Replaces a staff member's profile, skill groups and (when given) roles and password.</summary>
public static class UpdateOperator
{
    public sealed record Request(
        string DisplayName, IReadOnlyList<Guid>? SkillGroupIds, int? Capacity, bool? Enabled, IReadOnlyList<string>? Roles, string? Password,
        string? Email = null, IReadOnlyList<SkillGroupLevel>? SkillGroups = null, Access.ScopeSpec? Scope = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.DisplayName).ValidName(Operator.MaxDisplayNameLength);
            RuleFor(r => r.Capacity).InclusiveBetween(1, Operator.MaxCapacity);
            OperatorRules.Levels(RuleFor(r => r.SkillGroups));
            RuleFor(r => r.SkillGroupIds).Must(l => l is null || l.Count <= 200).WithMessage("At most 200 skill groups.");
            RuleFor(r => r.Password).MaximumLength(128);
            OperatorRules.Roles(RuleFor(r => r.Roles));
            OperatorRules.Email(RuleFor(r => r.Email));
            Access.ScopeRules.Shape(RuleFor(r => r.Scope));
        }
    }

    public sealed class Handler(OmnichatDbContext db, UserManager<StaffUser> users, TimeProvider time)
    {
        public async Task<OperatorView> HandleAsync(Guid id, Request request, Access.StaffScope actor, CancellationToken cancellationToken)
        {
            var actingOperator = actor.OperatorId;
            await OperatorRules.CheckGrantAsync(db, actor, request.Roles, request.Scope, cancellationToken);
            var op = await db.Operators.Include(o => o.SkillGroups).FirstOrDefaultAsync(o => o.Id == OperatorId.From(id), cancellationToken)
                ?? throw new NotFoundException("Operator", id);
            var user = await users.FindByIdAsync(id.ToString()) ?? throw new NotFoundException("Operator", id);
            var groups = await OperatorRules.MembershipsAsync(db, request.SkillGroupIds, request.SkillGroups, op.SkillGroups, cancellationToken)
                         ?? op.SkillGroups.Select(m => new SkillMembership(m.SkillGroupId, m.Level)).ToList();
            var enabled = request.Enabled ?? op.Enabled;
            if (op.Id == actingOperator && (!enabled || (request.Roles is not null && !request.Roles.Contains(StaffRoles.Administrator) && await users.IsInRoleAsync(user, StaffRoles.Administrator))))
            {
                throw new ConflictException("You cannot disable yourself or remove your own administrator role.", enabled ? "roles" : "enabled");
            }

            var strategy = db.Database.CreateExecutionStrategy();
            return await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (request.Password is { Length: > 0 } password)
                {
                    OperatorRules.ThrowIfFailed(await users.RemovePasswordAsync(user), "password");
                    OperatorRules.ThrowIfFailed(await users.AddPasswordAsync(user, password), "password");
                }

                if (request.Email is not null && request.Email != user.Email)
                {
                    OperatorRules.ThrowIfFailed(await users.SetEmailAsync(user, request.Email.Length == 0 ? null : request.Email), "email");
                }

                var rolesChanged = false;
                if (request.Roles is not null)
                {
                    var current = await users.GetRolesAsync(user);
                    var removed = current.Except(request.Roles).ToList();
                    var added = request.Roles.Distinct().Except(current).ToList();
                    OperatorRules.ThrowIfFailed(await users.RemoveFromRolesAsync(user, removed), "roles");
                    OperatorRules.ThrowIfFailed(await users.AddToRolesAsync(user, added), "roles");
                    rolesChanged = removed.Count + added.Count > 0;
                }

                if ((!enabled && op.Enabled) || rolesChanged)
                {
                    // Tokens issued before carry the old security stamp and stop working at once.
                    OperatorRules.ThrowIfFailed(await users.UpdateSecurityStampAsync(user), "enabled");
                }

                op.Update(request.DisplayName, request.Capacity ?? op.Capacity, enabled, groups, time.GetUtcNow());
                if (request.Scope is not null)
                {
                    await OperatorRules.SetScopeAsync(db, op.Id, request.Scope, time.GetUtcNow(), ct);
                }

                if (!enabled || request.Password is { Length: > 0 })
                {
                    // Disabled, or the password was reset: every place the account is signed in ends now.
                    await Access.ManageSessions.EndAllAsync(db, op.Id, time.GetUtcNow(), ct);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                var roles = await OperatorRules.RolesOfAsync(db, op.Id, ct);
                return OperatorView.From(op, roles, user.Email, await OperatorRules.ScopeOfAsync(db, op.Id, roles, ct), user.TwoFactorEnabled);
            }, cancellationToken);
        }
    }
}

using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>Creates a staff account (sign-in) and its operator profile in one transaction.</summary>
public static class CreateOperator
{
    public sealed record Request(
        string Login, string Password, string DisplayName, IReadOnlyList<Guid>? SkillGroupIds, int? Capacity, IReadOnlyList<string>? Roles,
        string? Email = null, IReadOnlyList<SkillGroupLevel>? SkillGroups = null, Access.ScopeSpec? Scope = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Login).ValidLogin();
            RuleFor(r => r.Password).NotEmpty().MaximumLength(128);
            RuleFor(r => r.DisplayName).ValidName(Operator.MaxDisplayNameLength);
            RuleFor(r => r.Capacity).InclusiveBetween(1, Operator.MaxCapacity);
            OperatorRules.Levels(RuleFor(r => r.SkillGroups));
            RuleFor(r => r.SkillGroupIds).Must(l => l is null || l.Count <= 200).WithMessage("At most 200 skill groups.");
            OperatorRules.Roles(RuleFor(r => r.Roles));
            OperatorRules.Email(RuleFor(r => r.Email));
            Access.ScopeRules.Shape(RuleFor(r => r.Scope));
        }
    }

    public sealed class Handler(OmnichatDbContext db, UserManager<StaffUser> users, TimeProvider time)
    {
        public const int DefaultCapacity = 3;

        /// <summary>Creates the account; <c>actor</c> is who creates it (null: the system, at bootstrap).</summary>
        public async Task<OperatorView> HandleAsync(Request request, CancellationToken cancellationToken, Access.StaffScope? actor = null)
        {
            var roles = request.Roles is { Count: > 0 } r ? r.Distinct().ToList() : [StaffRoles.Operator];
            // Without a scope an account sees its own conversations and its groups' (administrators: everything).
            var scope = request.Scope ?? Access.ScopeSpec.Nothing;
            await OperatorRules.CheckGrantAsync(db, actor, roles, scope, cancellationToken);
            var groups = await OperatorRules.MembershipsAsync(db, request.SkillGroupIds ?? [], request.SkillGroups, [], cancellationToken) ?? [];
            if (await users.FindByNameAsync(request.Login) is not null)
            {
                throw new ConflictException($"The login '{request.Login}' is taken.", "login");
            }

            // Without a capacity of their own, an operator gets the largest default of their groups.
            var groupIds = groups.Select(g => g.SkillGroupId).ToList();
            var capacity = request.Capacity ?? (groupIds.Count == 0 ? DefaultCapacity
                : await db.SkillGroups.Where(g => groupIds.Contains(g.Id)).MaxAsync(g => g.DefaultCapacity, cancellationToken));
            var strategy = db.Database.CreateExecutionStrategy();
            return await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var user = new StaffUser { Id = Guid.CreateVersion7(), UserName = request.Login, Email = request.Email, LockoutEnabled = true };
                OperatorRules.ThrowIfFailed(await users.CreateAsync(user, request.Password), "password");
                OperatorRules.ThrowIfFailed(await users.AddToRolesAsync(user, roles), "roles");
                var op = Operator.Create(OperatorId.From(user.Id), request.Login, request.DisplayName,
                    capacity, groups, time.GetUtcNow());
                db.Operators.Add(op);
                await OperatorRules.SetScopeAsync(db, op.Id, scope, time.GetUtcNow(), ct);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return OperatorView.From(op, roles, user.Email, await OperatorRules.ScopeOfAsync(db, op.Id, roles, ct));
            }, cancellationToken);
        }
    }
}

using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

public sealed record RoleView(Guid Id, string Name, bool BuiltIn, IReadOnlyList<string> Permissions, int Members);

public sealed record PermissionView(string Name, string Description);

/// <summary>Roles: the four built-in ones (fixed permissions) and custom ones composed from named permissions.</summary>
public static class ManageRoles
{
    public const int MaxNameLength = 64;

    public sealed record Request(string Name, IReadOnlyList<string>? Permissions);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ValidName(MaxNameLength)
                .Must(n => n is null || !Access.Permissions.IsBuiltInRole(n.Trim())).WithMessage("This is the name of a built-in role.");
            RuleFor(r => r.Permissions).NotNull()
                .Must(p => p is null || (p.Count <= Access.Permissions.All.Count && p.All(Access.Permissions.Described.ContainsKey)))
                .WithMessage("Unknown permission. Known: " + string.Join(", ", Access.Permissions.All) + ".");
        }
    }

    public sealed class Handler(OmnichatDbContext db, RoleManager<IdentityRole<Guid>> roles, UserManager<Operators.StaffUser> users)
    {
        public static IReadOnlyList<PermissionView> Catalogue() =>
            [.. Access.Permissions.Described.Select(p => new PermissionView(p.Key, p.Value))];

        public async Task<IReadOnlyList<RoleView>> ListAsync(CancellationToken cancellationToken)
        {
            var all = await db.Roles.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
            var claims = (await db.RoleClaims.AsNoTracking().Where(c => c.ClaimType == Access.Permissions.ClaimType).ToListAsync(cancellationToken))
                .ToLookup(c => c.RoleId, c => c.ClaimValue!);
            var members = await db.UserRoles.GroupBy(u => u.RoleId).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            return [.. all.Select(r => View(r, claims[r.Id], members.GetValueOrDefault(r.Id)))];
        }

        public async Task<RoleView> GetAsync(Guid id, CancellationToken cancellationToken) =>
            (await ListAsync(cancellationToken)).FirstOrDefault(r => r.Id == id) ?? throw new NotFoundException("Role", id);

        public async Task<RoleView> CreateAsync(StaffScope actor, Request request, CancellationToken cancellationToken)
        {
            var name = request.Name.Trim();
            NoEscalation(actor, request.Permissions!);
            if (await roles.RoleExistsAsync(name))
            {
                throw new ConflictException($"A role named '{name}' exists.", "name");
            }

            var strategy = db.Database.CreateExecutionStrategy();
            var id = await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var role = new IdentityRole<Guid>(name) { Id = Guid.CreateVersion7() };
                Operators.OperatorRules.ThrowIfFailed(await roles.CreateAsync(role), "name");
                foreach (var p in request.Permissions!.Distinct(StringComparer.Ordinal))
                {
                    db.RoleClaims.Add(new IdentityRoleClaim<Guid> { RoleId = role.Id, ClaimType = Access.Permissions.ClaimType, ClaimValue = p });
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return role.Id;
            }, cancellationToken);
            return await GetAsync(id, cancellationToken);
        }

        public async Task<RoleView> UpdateAsync(StaffScope actor, Guid id, Request request, CancellationToken cancellationToken)
        {
            var role = await db.Roles.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException("Role", id);
            if (Access.Permissions.IsBuiltInRole(role.Name!))
            {
                throw new ConflictException("Built-in roles cannot be changed; create a custom role instead.", "name");
            }

            NoEscalation(actor, request.Permissions!);
            var name = request.Name.Trim();
            if (name != role.Name && await roles.RoleExistsAsync(name))
            {
                throw new ConflictException($"A role named '{name}' exists.", "name");
            }

            var existing = await db.RoleClaims.Where(c => c.RoleId == id && c.ClaimType == Access.Permissions.ClaimType).ToListAsync(cancellationToken);
            var wanted = request.Permissions!.Distinct(StringComparer.Ordinal).ToList();
            db.RoleClaims.RemoveRange(existing.Where(c => !wanted.Contains(c.ClaimValue!)));
            foreach (var p in wanted.Where(p => !existing.Exists(c => c.ClaimValue == p)))
            {
                db.RoleClaims.Add(new IdentityRoleClaim<Guid> { RoleId = id, ClaimType = Access.Permissions.ClaimType, ClaimValue = p });
            }

            role.Name = name;
            role.NormalizedName = roles.NormalizeKey(name);
            await db.SaveChangesAsync(cancellationToken);
            return await GetAsync(id, cancellationToken);
        }

        /// <summary>Deletes a custom role nobody holds (409 while members have it: take it away from them first).</summary>
        public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
        {
            var role = await db.Roles.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException("Role", id);
            if (Access.Permissions.IsBuiltInRole(role.Name!))
            {
                throw new ConflictException("Built-in roles cannot be deleted.", "id");
            }

            var holders = await users.GetUsersInRoleAsync(role.Name!);
            if (holders.Count > 0)
            {
                throw new ConflictException($"{holders.Count} staff member(s) hold this role; take it away from them first.", "id");
            }

            db.RoleClaims.RemoveRange(await db.RoleClaims.Where(c => c.RoleId == id).ToListAsync(cancellationToken));
            db.Roles.Remove(role);
            await db.SaveChangesAsync(cancellationToken);
        }

        private static RoleView View(IdentityRole<Guid> role, IEnumerable<string> claims, int members)
        {
            var builtIn = Access.Permissions.BuiltIn.TryGetValue(role.Name!, out var fixedSet);
            return new RoleView(role.Id, role.Name!, builtIn, [.. (builtIn ? fixedSet! : claims).Order(StringComparer.Ordinal)], members);
        }
    }

    /// <summary>Nobody hands out a permission they do not have themselves.</summary>
    public static void NoEscalation(StaffScope actor, IEnumerable<string> permissions)
    {
        var missing = permissions.Where(p => !actor.Has(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ForbiddenException("You cannot grant permissions you do not have: " + string.Join(", ", missing) + ".", "permissions");
        }
    }
}

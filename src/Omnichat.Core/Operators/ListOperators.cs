using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

public static class ListOperators
{
    public sealed class Handler(OmnichatDbContext db)
    {
        /// <summary>Staff accounts; an actor with a limited scope sees those sharing a skill group of it.</summary>
        public async Task<IReadOnlyList<OperatorView>> HandleAsync(CancellationToken cancellationToken, Access.StaffScope? actor = null)
        {
            var operators = await InScope(db.Operators.AsNoTracking(), actor).Include(o => o.SkillGroups).OrderBy(o => o.Login).ToListAsync(cancellationToken);
            var emails = await db.Users.Select(u => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
            var roles = (await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                select new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
                .ToLookup(x => x.UserId, x => x.Name!);
            var scopes = await db.StaffVisibility.AsNoTracking().ToDictionaryAsync(v => v.OwnerId, v => v.ToSpec(), cancellationToken);
            var twoFactor = await db.Users.Where(u => u.TwoFactorEnabled).Select(u => u.Id).ToListAsync(cancellationToken);
            return operators.ConvertAll(o => OperatorView.From(o, roles[o.Id.Value], emails.GetValueOrDefault(o.Id.Value),
                roles[o.Id.Value].Contains(StaffRoles.Administrator) ? Access.ScopeSpec.Everything : scopes.GetValueOrDefault(o.Id.Value, Access.ScopeSpec.Nothing),
                twoFactor.Contains(o.Id.Value)));
        }

        public async Task<OperatorView> GetAsync(Guid id, CancellationToken cancellationToken, Access.StaffScope? actor = null)
        {
            var op = await InScope(db.Operators.AsNoTracking(), actor).Include(o => o.SkillGroups)
                .FirstOrDefaultAsync(o => o.Id == OperatorId.From(id), cancellationToken)
                ?? throw new NotFoundException("Operator", id);
            var user = await db.Users.Where(u => u.Id == op.Id.Value).Select(u => new { u.Email, u.TwoFactorEnabled }).FirstAsync(cancellationToken);
            var roles = await OperatorRules.RolesOfAsync(db, op.Id, cancellationToken);
            return OperatorView.From(op, roles, user.Email, await OperatorRules.ScopeOfAsync(db, op.Id, roles, cancellationToken), user.TwoFactorEnabled);
        }

        private static IQueryable<Operator> InScope(IQueryable<Operator> operators, Access.StaffScope? actor)
        {
            if (actor is null || actor.Data.All)
            {
                return operators;
            }

            var groups = actor.BoundaryGroups.ToList();
            var me = actor.OperatorId;
            return operators.Where(o => o.Id == me || o.SkillGroups.Any(m => groups.Contains(m.SkillGroupId)));
        }
    }
}

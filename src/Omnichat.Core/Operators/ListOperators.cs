using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

public static class ListOperators
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<OperatorView>> HandleAsync(CancellationToken cancellationToken)
        {
            var operators = await db.Operators.AsNoTracking().Include(o => o.SkillGroups).OrderBy(o => o.Login).ToListAsync(cancellationToken);
            var emails = await db.Users.Select(u => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
            var roles = (await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                select new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
                .ToLookup(x => x.UserId, x => x.Name!);
            return operators.ConvertAll(o => OperatorView.From(o, roles[o.Id.Value], emails.GetValueOrDefault(o.Id.Value)));
        }

        public async Task<OperatorView> GetAsync(Guid id, CancellationToken cancellationToken)
        {
            var op = await db.Operators.AsNoTracking().Include(o => o.SkillGroups)
                .FirstOrDefaultAsync(o => o.Id == OperatorId.From(id), cancellationToken)
                ?? throw new NotFoundException("Operator", id);
            var email = await db.Users.Where(u => u.Id == op.Id.Value).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
            return OperatorView.From(op, await OperatorRules.RolesOfAsync(db, op.Id, cancellationToken), email);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

public static class ListSkillGroups
{
    public sealed class Handler(OmnichatDbContext db)
    {
        private IQueryable<SkillGroup> Groups => db.SkillGroups.AsNoTracking()
            .Include(g => g.Channels).Include(g => g.Branches).Include(g => g.Regions).Include(g => g.Backups).AsSplitQuery();

        public async Task<IReadOnlyList<SkillGroupView>> HandleAsync(CancellationToken cancellationToken) =>
            (await Groups.OrderBy(g => g.Name).ToListAsync(cancellationToken)).ConvertAll(SkillGroupView.From);

        public async Task<SkillGroupView> GetAsync(Guid id, CancellationToken cancellationToken) =>
            SkillGroupView.From(await Groups.FirstOrDefaultAsync(g => g.Id == SkillGroupId.From(id), cancellationToken)
                ?? throw new NotFoundException("Skill group", id));
    }
}

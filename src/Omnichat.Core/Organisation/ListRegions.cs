using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Organisation;

public static class ListRegions
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<RegionView>> HandleAsync(CancellationToken cancellationToken) =>
            (await db.Regions.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken)).ConvertAll(RegionView.From);

        public async Task<RegionView> GetAsync(Guid id, CancellationToken cancellationToken) =>
            RegionView.From(await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == RegionId.From(id), cancellationToken)
                ?? throw new NotFoundException("Region", id));
    }
}

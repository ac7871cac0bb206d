using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Organisation;

public static class ListBranches
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<BranchView>> HandleAsync(CancellationToken cancellationToken) =>
            (await db.Branches.AsNoTracking().OrderBy(b => b.Name).ToListAsync(cancellationToken)).ConvertAll(BranchView.From);

        public async Task<BranchView> GetAsync(Guid id, CancellationToken cancellationToken) =>
            BranchView.From(await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == BranchId.From(id), cancellationToken)
                ?? throw new NotFoundException("Branch", id));
    }
}

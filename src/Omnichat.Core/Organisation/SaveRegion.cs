using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Organisation;

/// <summary>Creates a region, or replaces one's name and branch.</summary>
public static class SaveRegion
{
    public sealed record Request(string Name, Guid? BranchId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Name).ValidName(Region.MaxNameLength);
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<RegionView> CreateAsync(Request request, CancellationToken cancellationToken)
        {
            var branchId = await CheckAsync(request, null, cancellationToken);
            var region = Region.Create(request.Name, branchId, time.GetUtcNow());
            db.Regions.Add(region);
            await db.SaveChangesAsync(cancellationToken);
            return RegionView.From(region);
        }

        public async Task<RegionView> UpdateAsync(Guid id, Request request, CancellationToken cancellationToken)
        {
            var region = await db.Regions.FindAsync([RegionId.From(id)], cancellationToken)
                ?? throw new NotFoundException("Region", id);
            var branchId = await CheckAsync(request, region.Id, cancellationToken);
            region.Update(request.Name, branchId);
            await db.SaveChangesAsync(cancellationToken);
            return RegionView.From(region);
        }

        private async Task<BranchId?> CheckAsync(Request request, RegionId? except, CancellationToken cancellationToken)
        {
            var branchId = request.BranchId is { } b ? BranchId.From(b) : (BranchId?)null;
            await References.EnsureExistsAsync(db.Branches, (set, id) => set.Where(x => x.Id == id), branchId, "branchId", cancellationToken);
            var name = request.Name.Trim();
            if (await db.Regions.AnyAsync(r => r.Name == name && r.Id != except, cancellationToken))
            {
                throw new ConflictException($"A region named '{name}' already exists.", "name");
            }

            return branchId;
        }
    }
}

using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>Creates a skill group, or replaces one's name and connected channels, branches and regions.</summary>
public static class SaveSkillGroup
{
    public const int MaxLinks = 1000;

    public sealed record Request(string Name, IReadOnlyList<Guid>? ChannelIds, IReadOnlyList<Guid>? BranchIds, IReadOnlyList<Guid>? RegionIds);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ValidName(SkillGroup.MaxNameLength);
            RuleFor(r => r.ChannelIds).NotNull().Must(l => l is null || l.Count <= MaxLinks).WithMessage($"At most {MaxLinks} ids.");
            RuleFor(r => r.BranchIds).Must(l => l is null || l.Count <= MaxLinks).WithMessage($"At most {MaxLinks} ids.");
            RuleFor(r => r.RegionIds).Must(l => l is null || l.Count <= MaxLinks).WithMessage($"At most {MaxLinks} ids.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<SkillGroupView> CreateAsync(Request request, CancellationToken cancellationToken)
        {
            var (channels, branches, regions) = await CheckAsync(request, null, cancellationToken);
            var group = SkillGroup.Create(request.Name, channels, branches, regions, time.GetUtcNow());
            db.SkillGroups.Add(group);
            await db.SaveChangesAsync(cancellationToken);
            return SkillGroupView.From(group);
        }

        public async Task<SkillGroupView> UpdateAsync(Guid id, Request request, CancellationToken cancellationToken)
        {
            var group = await db.SkillGroups.Include(g => g.Channels).Include(g => g.Branches).Include(g => g.Regions)
                .AsSplitQuery()
                .FirstOrDefaultAsync(g => g.Id == SkillGroupId.From(id), cancellationToken)
                ?? throw new NotFoundException("Skill group", id);
            var (channels, branches, regions) = await CheckAsync(request, group.Id, cancellationToken);
            group.Update(request.Name, channels, branches, regions, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return SkillGroupView.From(group);
        }

        private async Task<(List<ChannelId>, List<BranchId>, List<RegionId>)> CheckAsync(Request request, SkillGroupId? except, CancellationToken cancellationToken)
        {
            var channels = (request.ChannelIds ?? []).Select(ChannelId.From).ToList();
            var branches = (request.BranchIds ?? []).Select(BranchId.From).ToList();
            var regions = (request.RegionIds ?? []).Select(RegionId.From).ToList();
            await References.EnsureAllExistAsync(db.Channels, (set, ids) => set.Where(c => ids.Contains(c.Id)).Select(c => c.Id), channels, "channelIds", cancellationToken);
            await References.EnsureAllExistAsync(db.Branches, (set, ids) => set.Where(b => ids.Contains(b.Id)).Select(b => b.Id), branches, "branchIds", cancellationToken);
            await References.EnsureAllExistAsync(db.Regions, (set, ids) => set.Where(r => ids.Contains(r.Id)).Select(r => r.Id), regions, "regionIds", cancellationToken);
            var name = request.Name.Trim();
            if (await db.SkillGroups.AnyAsync(g => g.Name == name && g.Id != except, cancellationToken))
            {
                throw new ConflictException($"A skill group named '{name}' already exists.", "name");
            }

            return (channels, branches, regions);
        }
    }
}

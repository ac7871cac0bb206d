using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>
/// Creates a skill group, or replaces one's name and connected channels, branches and regions; routing
/// settings given in the request replace the current ones, omitted settings stay as they are.
/// </summary>
public static class SaveSkillGroup
{
    public const int MaxLinks = 1000;

    public const int MaxSeconds = 7 * 24 * 3600;

    public sealed record Request(
        string Name, IReadOnlyList<Guid>? ChannelIds, IReadOnlyList<Guid>? BranchIds, IReadOnlyList<Guid>? RegionIds,
        RoutingStrategy? Strategy = null, bool? AutoAccept = null, int? OfferTimeoutSeconds = null, bool? MissedOfferSetsNotReady = null,
        int? WrapUpSeconds = null, int? MinSkillLevel = null, int? OverflowAfterSeconds = null, IReadOnlyList<Guid>? BackupGroupIds = null,
        int? MaxQueueSeconds = null, MaxQueueAction? MaxQueueAction = null, Guid? MaxQueueTargetGroupId = null, string? OfflineMessage = null,
        int? StickyMinutes = null, int? DefaultCapacity = null, IReadOnlyList<string>? ResolutionCodes = null, bool? ResolutionRequired = null,
        int? ServiceLevelSeconds = null, int? ShortAbandonSeconds = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ValidName(SkillGroup.MaxNameLength);
            RuleFor(r => r.ChannelIds).NotNull().Must(l => l is null || l.Count <= MaxLinks).WithMessage($"At most {MaxLinks} ids.");
            RuleFor(r => r.BranchIds).Must(l => l is null || l.Count <= MaxLinks).WithMessage($"At most {MaxLinks} ids.");
            RuleFor(r => r.RegionIds).Must(l => l is null || l.Count <= MaxLinks).WithMessage($"At most {MaxLinks} ids.");
            RuleFor(r => r.OfferTimeoutSeconds).InclusiveBetween(5, 3600);
            RuleFor(r => r.WrapUpSeconds).InclusiveBetween(0, 3600);
            RuleFor(r => r.ServiceLevelSeconds).InclusiveBetween(1, 3600);
            RuleFor(r => r.ShortAbandonSeconds).InclusiveBetween(0, 600);
            RuleFor(r => r.MinSkillLevel).InclusiveBetween(Operators.Operator.MinSkillLevel, Operators.Operator.MaxSkillLevel);
            RuleFor(r => r.OverflowAfterSeconds).InclusiveBetween(0, MaxSeconds);
            RuleFor(r => r.MaxQueueSeconds).InclusiveBetween(1, MaxSeconds);
            RuleFor(r => r.BackupGroupIds).Must(l => l is null || l.Count <= 20).WithMessage("At most 20 backup groups.");
            RuleFor(r => r.OfflineMessage).MaximumLength(SkillGroup.MaxOfflineMessageLength);
            RuleFor(r => r.StickyMinutes).InclusiveBetween(0, 30 * 24 * 60);
            RuleFor(r => r.DefaultCapacity).InclusiveBetween(1, Operators.Operator.MaxCapacity);
            RuleFor(r => r.ResolutionCodes).Must(l => l is null || l.Count <= SkillGroup.MaxResolutionCodes)
                .WithMessage($"At most {SkillGroup.MaxResolutionCodes} resolution codes.");
            RuleForEach(r => r.ResolutionCodes).NotEmpty().MaximumLength(SkillGroup.MaxResolutionCodeLength)
                .Must(c => c is null || !c.Any(char.IsControl)).WithMessage("A resolution code must not contain control characters.");
            RuleFor(r => r.ResolutionRequired).Must((r, required) => required != true || r.ResolutionCodes is null || r.ResolutionCodes.Count > 0)
                .WithMessage("A required resolution needs at least one code.");
            RuleFor(r => r.MaxQueueTargetGroupId).NotNull().When(r => r.MaxQueueAction == Routing.MaxQueueAction.MoveToGroup)
                .WithMessage("'maxQueueTargetGroupId' is required when the action is move-to-group.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, RoutingPolicyCache policies, TimeProvider time)
    {
        public async Task<SkillGroupView> CreateAsync(Request request, CancellationToken cancellationToken)
        {
            var (channels, branches, regions) = await CheckAsync(request, null, cancellationToken);
            var group = SkillGroup.Create(request.Name, channels, branches, regions, time.GetUtcNow());
            group.Configure(await SettingsAsync(request, new GroupRoutingSettings(), group.Id, cancellationToken), time.GetUtcNow());
            group.SetResolutionCodes(request.ResolutionCodes ?? [], request.ResolutionRequired ?? false, time.GetUtcNow());
            group.SetReportingThresholds(request.ServiceLevelSeconds ?? group.ServiceLevelSeconds, request.ShortAbandonSeconds ?? group.ShortAbandonSeconds, time.GetUtcNow());
            db.SkillGroups.Add(group);
            await db.SaveChangesAsync(cancellationToken);
            policies.Invalidate();
            return SkillGroupView.From(group);
        }

        public async Task<SkillGroupView> UpdateAsync(Guid id, Request request, CancellationToken cancellationToken)
        {
            var group = await db.SkillGroups.Include(g => g.Channels).Include(g => g.Branches).Include(g => g.Regions).Include(g => g.Backups)
                .AsSplitQuery()
                .FirstOrDefaultAsync(g => g.Id == SkillGroupId.From(id), cancellationToken)
                ?? throw new NotFoundException("Skill group", id);
            var (channels, branches, regions) = await CheckAsync(request, group.Id, cancellationToken);
            group.Update(request.Name, channels, branches, regions, time.GetUtcNow());
            group.Configure(await SettingsAsync(request, group.Settings, group.Id, cancellationToken), time.GetUtcNow());
            group.SetResolutionCodes(request.ResolutionCodes ?? group.ResolutionCodes, request.ResolutionRequired ?? group.ResolutionRequired, time.GetUtcNow());
            group.SetReportingThresholds(request.ServiceLevelSeconds ?? group.ServiceLevelSeconds, request.ShortAbandonSeconds ?? group.ShortAbandonSeconds, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            policies.Invalidate();
            return SkillGroupView.From(group);
        }

        private async Task<GroupRoutingSettings> SettingsAsync(Request r, GroupRoutingSettings current, SkillGroupId self, CancellationToken cancellationToken)
        {
            var backups = r.BackupGroupIds?.Select(SkillGroupId.From).ToList() ?? current.BackupGroupIds.ToList();
            if (backups.Contains(self))
            {
                throw new FieldValidationException("backupGroupIds", "A group cannot be its own backup.");
            }

            await References.EnsureAllExistAsync(db.SkillGroups, (set, ids) => set.Where(g => ids.Contains(g.Id)).Select(g => g.Id), backups, "backupGroupIds", cancellationToken);
            var target = r.MaxQueueTargetGroupId is { } t ? SkillGroupId.From(t) : current.MaxQueueTargetGroupId;
            if (target is { } tg && (tg == self || !await db.SkillGroups.AnyAsync(g => g.Id == tg, cancellationToken)))
            {
                throw new FieldValidationException("maxQueueTargetGroupId", tg == self ? "A group cannot move conversations to itself." : "No such skill group.");
            }

            var action = r.MaxQueueAction ?? current.MaxQueueAction;
            if (action == MaxQueueAction.MoveToGroup && target is null)
            {
                throw new FieldValidationException("maxQueueTargetGroupId", "'maxQueueTargetGroupId' is required when the action is move-to-group.");
            }

            return new GroupRoutingSettings(
                r.Strategy ?? current.Strategy, r.AutoAccept ?? current.AutoAccept, r.OfferTimeoutSeconds ?? current.OfferTimeoutSeconds,
                r.MissedOfferSetsNotReady ?? current.MissedOfferSetsNotReady, r.WrapUpSeconds ?? current.WrapUpSeconds,
                r.MinSkillLevel ?? current.MinSkillLevel, r.OverflowAfterSeconds ?? current.OverflowAfterSeconds, backups,
                r.MaxQueueSeconds ?? current.MaxQueueSeconds, action, target, r.OfflineMessage ?? current.OfflineMessage,
                r.StickyMinutes ?? current.StickyMinutes, r.DefaultCapacity ?? current.DefaultCapacity);
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

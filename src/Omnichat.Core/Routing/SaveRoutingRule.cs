using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>Creates or replaces a routing rule (conditions → skill group and priority).</summary>
public static class SaveRoutingRule
{
    public const int MaxPriority = 100;

    public sealed record Request(int? Position, Guid? ChannelId, Guid? BranchId, Guid? RegionId, string? Topic, Guid? SkillGroupId, int? Priority);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Position).NotNull().InclusiveBetween(0, 100_000);
            RuleFor(r => r.SkillGroupId).NotNull().Must(g => g != Guid.Empty).WithMessage("'skillGroupId' is required.");
            RuleFor(r => r.Topic).MaximumLength(RoutingRule.MaxTopicLength);
            RuleFor(r => r.Priority).InclusiveBetween(-MaxPriority, MaxPriority);
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<RoutingRuleView> CreateAsync(Request request, CancellationToken cancellationToken)
        {
            var rule = RoutingRule.Create(await CheckAsync(request, cancellationToken), time.GetUtcNow());
            db.RoutingRules.Add(rule);
            await db.SaveChangesAsync(cancellationToken);
            return RoutingRuleView.From(rule);
        }

        public async Task<RoutingRuleView> UpdateAsync(Guid id, Request request, CancellationToken cancellationToken)
        {
            var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == RoutingRuleId.From(id), cancellationToken)
                       ?? throw new NotFoundException("Routing rule", id);
            rule.Update(await CheckAsync(request, cancellationToken), time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return RoutingRuleView.From(rule);
        }

        public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
        {
            if (await db.RoutingRules.Where(r => r.Id == RoutingRuleId.From(id)).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                throw new NotFoundException("Routing rule", id);
            }
        }

        private async Task<RoutingRuleValues> CheckAsync(Request r, CancellationToken cancellationToken)
        {
            var group = SkillGroupId.From(r.SkillGroupId!.Value);
            if (!await db.SkillGroups.AnyAsync(g => g.Id == group, cancellationToken))
            {
                throw new FieldValidationException("skillGroupId", "No such skill group.");
            }

            ChannelId? channel = r.ChannelId is { } c ? ChannelId.From(c) : null;
            if (channel is { } ch && !await db.Channels.AnyAsync(x => x.Id == ch, cancellationToken))
            {
                throw new FieldValidationException("channelId", "No such channel.");
            }

            BranchId? branch = r.BranchId is { } b ? BranchId.From(b) : null;
            if (branch is { } br && !await db.Branches.AnyAsync(x => x.Id == br, cancellationToken))
            {
                throw new FieldValidationException("branchId", "No such branch.");
            }

            RegionId? region = r.RegionId is { } g ? RegionId.From(g) : null;
            if (region is { } rg && !await db.Regions.AnyAsync(x => x.Id == rg, cancellationToken))
            {
                throw new FieldValidationException("regionId", "No such region.");
            }

            return new RoutingRuleValues(r.Position!.Value, channel, branch, region, r.Topic, group, r.Priority ?? 0);
        }
    }
}

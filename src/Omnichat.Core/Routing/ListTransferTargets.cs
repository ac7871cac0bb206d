using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>Who and where a conversation can go: operators with status and load, groups with their queues (the transfer dialog).</summary>
public static class ListTransferTargets
{
    public sealed record OperatorTarget(
        Guid Id, string DisplayName, string State, string? Reason, int Load, int Capacity, IReadOnlyList<Guid> SkillGroupIds, DateTimeOffset? WrapUpUntil);

    public sealed record GroupTarget(Guid Id, string Name, int Waiting, int ReadyOperators);

    public sealed record Response(IReadOnlyList<OperatorTarget> Operators, IReadOnlyList<GroupTarget> Groups);

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<Response> HandleAsync(CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var operators = await db.Operators.AsNoTracking().Include(o => o.SkillGroups).Where(o => o.Enabled)
                .OrderBy(o => o.DisplayName).ToListAsync(cancellationToken);
            var waiting = await db.Conversations.AsNoTracking().Where(c => c.Status == ConversationStatus.Queued && c.SkillGroupId != null)
                .GroupBy(c => c.SkillGroupId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
            var groups = await db.SkillGroups.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken);
            return new Response(
                operators.Select(o => new OperatorTarget(o.Id.Value, o.DisplayName, o.StateAt(now), o.StatusReason, o.Load, o.Capacity,
                    o.SkillGroups.Select(m => m.SkillGroupId.Value).ToList(), o.WrapUpUntil)).ToList(),
                groups.Select(g => new GroupTarget(g.Id.Value, g.Name, waiting.GetValueOrDefault(g.Id),
                    operators.Count(o => o.Status == OperatorStatus.Ready && o.SkillGroups.Exists(m => m.SkillGroupId == g.Id)))).ToList());
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>A skill group's queue as its members and supervisors see it (the queue view; manual-pick groups take from here).</summary>
public static class GetQueue
{
    public const int MaxItems = 500;

    public sealed record Item(
        Guid ConversationId, int Position, Guid ClientId, string? ClientName, Guid ChannelId, int Priority, DateTimeOffset QueuedAt,
        double WaitingSeconds, Guid? OfferedOperatorId, bool Overflowed);

    public sealed record Response(Guid SkillGroupId, string Name, RoutingStrategy Strategy, int Total, int? ExpectedWaitSeconds, IReadOnlyList<Item> Items);

    public sealed class Handler(OmnichatDbContext db, QueuePositions positions, TimeProvider time)
    {
        public async Task<Response> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken, int limit = MaxItems)
        {
            var groupId = SkillGroupId.From(id);
            var group = await db.SkillGroups.AsNoTracking().Where(g => g.Id == groupId).Select(g => new { g.Name, g.Strategy }).FirstOrDefaultAsync(cancellationToken);
            var inBoundary = scope.Data.All || scope.BoundaryGroups.Contains(groupId) || scope.Data.Branches.Count + scope.Data.Regions.Count > 0;
            if (group is null || !(scope.SkillGroups.Contains(groupId) || (scope.SeesEverything && inBoundary)))
            {
                throw new NotFoundException("Skill group", id);
            }

            // The head only (a queue may hold thousands): one count, one page in queue order.
            var now = time.GetUtcNow();
            var queued = db.Conversations.AsNoTracking().Where(c => c.Status == ConversationStatus.Queued && c.SkillGroupId == groupId);
            var total = await queued.CountAsync(cancellationToken);
            var head = await queued.OrderByDescending(c => c.Priority).ThenBy(c => c.QueuedAt).ThenBy(c => c.Id).Take(Math.Clamp(limit, 1, MaxItems))
                .Select(c => new
                {
                    c.Id, c.ClientId, c.ChannelId, c.Priority, QueuedAt = c.QueuedAt!.Value, c.OfferedOperatorId, c.OverflowedAt,
                    ClientName = db.Clients.Where(k => k.Id == c.ClientId).Select(k => k.DisplayName).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var items = head.Select((c, i) => new Item(c.Id.Value, i + 1, c.ClientId.Value, c.ClientName, c.ChannelId.Value, c.Priority, c.QueuedAt,
                Math.Max(0, (now - c.QueuedAt).TotalSeconds), c.OfferedOperatorId?.Value, c.OverflowedAt != null)).ToList();
            var wait = total > 0 ? await positions.ExpectedWaitAsync(groupId, total, cancellationToken) : null;
            return new Response(id, group.Name, group.Strategy, total, wait, items);
        }
    }
}

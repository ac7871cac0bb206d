using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
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
        public async Task<Response> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
        {
            var groupId = SkillGroupId.From(id);
            var group = await db.SkillGroups.AsNoTracking().Where(g => g.Id == groupId).Select(g => new { g.Name, g.Strategy }).FirstOrDefaultAsync(cancellationToken);
            if (group is null || (!scope.SeesEverything && !scope.SkillGroups.Contains(groupId)))
            {
                throw new NotFoundException("Skill group", id);
            }

            var now = time.GetUtcNow();
            var order = await positions.ForGroupAsync(groupId, cancellationToken);
            var head = order.Take(MaxItems).ToList();
            var ids = head.Select(e => e.ConversationId).ToList();
            var rows = await db.Conversations.AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new
                {
                    c.Id, c.ClientId, c.ChannelId, c.Priority, QueuedAt = c.QueuedAt!.Value, c.OfferedOperatorId, c.OverflowedAt,
                    ClientName = db.Clients.Where(k => k.Id == c.ClientId).Select(k => k.DisplayName).FirstOrDefault(),
                })
                .ToDictionaryAsync(c => c.Id, cancellationToken);
            var items = head.Where(e => rows.ContainsKey(e.ConversationId)).Select(e =>
            {
                var c = rows[e.ConversationId];
                return new Item(c.Id.Value, e.Position, c.ClientId.Value, c.ClientName, c.ChannelId.Value, c.Priority, c.QueuedAt,
                    Math.Max(0, (now - c.QueuedAt).TotalSeconds), c.OfferedOperatorId?.Value, c.OverflowedAt != null);
            }).ToList();
            return new Response(id, group.Name, group.Strategy, order.Count, order.Count > 0 ? order[^1].ExpectedWaitSeconds : null, items);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>
/// Queue position (1 = next) and expected wait of queued conversations. Expected wait = position ×
/// recent average handle time ÷ the concurrent capacity of the group's ready operators; unknown (null)
/// while nobody of the group is ready.
/// </summary>
public sealed class QueuePositions(OmnichatDbContext db, TimeProvider time)
{
    /// <summary>Average handle time assumed while a group has no recent closed conversations.</summary>
    public static readonly TimeSpan DefaultHandleTime = TimeSpan.FromMinutes(5);

    public sealed record Entry(ConversationId ConversationId, ClientId ClientId, int Position, int? ExpectedWaitSeconds);

    public async Task<(int Position, int? ExpectedWaitSeconds)?> ForAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var c = await db.Conversations.AsNoTracking().Where(x => x.Id == id && x.Status == ConversationStatus.Queued && x.SkillGroupId != null)
            .Select(x => new { Group = x.SkillGroupId!.Value, x.Priority, QueuedAt = x.QueuedAt!.Value }).FirstOrDefaultAsync(cancellationToken);
        if (c is null)
        {
            return null;
        }

        var ahead = await db.Conversations.CountAsync(x => x.Status == ConversationStatus.Queued && x.SkillGroupId == c.Group
                                                            && (x.Priority > c.Priority || (x.Priority == c.Priority && x.QueuedAt < c.QueuedAt)), cancellationToken);
        return (ahead + 1, await ExpectedWaitAsync(c.Group, ahead + 1, cancellationToken));
    }

    /// <summary>Expected wait of the conversation at <paramref name="position"/> in the group's queue (null while nobody is ready).</summary>
    public async Task<int?> ExpectedWaitAsync(SkillGroupId group, int position, CancellationToken cancellationToken) =>
        await SecondsPerSlotAsync(group, cancellationToken) is { } rate ? (int)Math.Ceiling(position * rate) : null;

    /// <summary>Positions of every conversation waiting in the group, in queue order.</summary>
    public async Task<IReadOnlyList<Entry>> ForGroupAsync(SkillGroupId group, CancellationToken cancellationToken)
    {
        var queue = await db.Conversations.AsNoTracking().Where(x => x.Status == ConversationStatus.Queued && x.SkillGroupId == group)
            .OrderByDescending(x => x.Priority).ThenBy(x => x.QueuedAt).ThenBy(x => x.Id)
            .Select(x => new { x.Id, x.ClientId }).ToListAsync(cancellationToken);
        var rate = await SecondsPerSlotAsync(group, cancellationToken);
        return queue.Select((x, i) => new Entry(x.Id, x.ClientId, i + 1, rate is { } r ? (int)Math.Ceiling((i + 1) * r) : null)).ToList();
    }

    // Average handle time divided by the ready capacity: how long, on average, until the next slot frees.
    private async Task<double?> SecondsPerSlotAsync(SkillGroupId group, CancellationToken cancellationToken)
    {
        var capacity = await db.Operators.Where(o => o.Enabled && o.Status == OperatorStatus.Ready && o.SkillGroups.Any(m => m.SkillGroupId == group))
            .SumAsync(o => o.Capacity, cancellationToken);
        if (capacity <= 0)
        {
            return null;
        }

        var since = time.GetUtcNow().AddHours(-2);
        var recent = await db.Conversations.AsNoTracking()
            .Where(x => x.SkillGroupId == group && x.ClosedAt != null && x.ClosedAt >= since && x.AssignedAt != null)
            .OrderByDescending(x => x.ClosedAt).Take(200)
            .Select(x => new { x.AssignedAt, x.ClosedAt }).ToListAsync(cancellationToken);
        var handle = recent.Count == 0 ? DefaultHandleTime.TotalSeconds : recent.Average(x => (x.ClosedAt!.Value - x.AssignedAt!.Value).TotalSeconds);
        return Math.Max(1, handle) / capacity;
    }
}

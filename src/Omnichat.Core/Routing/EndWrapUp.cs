using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>The operator finished wrap-up early and can take new work now.</summary>
public static class EndWrapUp
{
    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<SetOperatorStatus.Response> HandleAsync(OperatorId id, CancellationToken cancellationToken) =>
            await Conversations.MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var op = await db.Operators.FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Operator", id);
                var now = time.GetUtcNow();
                op.EndWrapUp(now);
                await db.SaveChangesAsync(ct);
                return new SetOperatorStatus.Response(op.Status, op.StatusReason, op.StatusSince, op.StateAt(now), op.Load, op.Capacity, op.WrapUpUntil);
            }, cancellationToken);
    }
}

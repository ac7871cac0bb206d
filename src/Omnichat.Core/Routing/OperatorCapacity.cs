using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>
/// Keeps <see cref="Operator.Load"/> in step with the conversations an operator holds: every use case
/// that takes a conversation from an operator, or gives one, changes the operator row in the same
/// transaction (both rows are versioned, so a concurrent change makes the commit fail and retry).
/// </summary>
public static class OperatorCapacity
{
    /// <summary>Gives one conversation back; starts the group's wrap-up when the operator finished it (closed).</summary>
    public static async Task ReleaseAsync(OmnichatDbContext db, OperatorId? operatorId, SkillGroupId? group, bool startWrapUp, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (operatorId is not { } id)
        {
            return;
        }

        var op = await db.Operators.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (op is null)
        {
            return;
        }

        var wrapUp = startWrapUp && group is { } g
            ? await db.SkillGroups.Where(x => x.Id == g).Select(x => x.WrapUpSeconds).FirstOrDefaultAsync(cancellationToken)
            : 0;
        op.Release(now, TimeSpan.FromSeconds(wrapUp));
    }

    /// <summary>Takes one more conversation for the operator (capacity checked unless forced by a supervisor).</summary>
    public static async Task<Operator> ReserveAsync(OmnichatDbContext db, OperatorId operatorId, DateTimeOffset now, bool force, string field,
        CancellationToken cancellationToken)
    {
        var op = await db.Operators.FirstOrDefaultAsync(o => o.Id == operatorId, cancellationToken)
                 ?? throw new FieldValidationException(field, "No such operator.");
        op.Reserve(now, force);
        return op;
    }
}

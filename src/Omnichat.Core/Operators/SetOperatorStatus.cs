using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>
/// An operator switches between ready, not-ready (with a configured reason) and offline; routing reacts
/// to the event. Conversations already held stay with the operator.
/// </summary>
public static class SetOperatorStatus
{
    public sealed record Request(OperatorStatus? Status, string? Reason);

    public sealed record Response(OperatorStatus Status, string? Reason, DateTimeOffset Since, string State, int Load, int Capacity, DateTimeOffset? WrapUpUntil);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Status).NotNull().Must(s => s is OperatorStatus.Ready or OperatorStatus.NotReady or OperatorStatus.Offline)
                .WithMessage("'status' must be ready, not-ready or offline.");
            RuleFor(r => r.Reason).MaximumLength(StatusReason.MaxCodeLength);
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<Response> HandleAsync(OperatorId id, Request request, CancellationToken cancellationToken)
        {
            var reason = request.Status == OperatorStatus.NotReady && !string.IsNullOrWhiteSpace(request.Reason) ? request.Reason.Trim() : null;
            if (reason is not null)
            {
                await ListStatusReasons.Handler.EnsureDefaultsAsync(db, cancellationToken);
                if (!await db.StatusReasons.AnyAsync(r => r.Code == reason && r.Enabled, cancellationToken))
                {
                    throw new FieldValidationException("reason", $"'{reason}' is not a configured not-ready reason.");
                }
            }

            // The router may change the operator's load at the same moment: a conflict re-applies the status to fresh data.
            return await Conversations.MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var op = await db.Operators.FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Operator", id);
                var now = time.GetUtcNow();
                op.SetStatus(request.Status!.Value, reason, now);
                // A status set through the API is not proof of a live workstation: presence tracking restarts
                // with the next realtime connection (so an old connection time cannot make them not-ready at once).
                op.Seen(null);
                await db.SaveChangesAsync(ct);
                return new Response(op.Status, op.StatusReason, op.StatusSince, op.StateAt(now), op.Load, op.Capacity, op.WrapUpUntil);
            }, cancellationToken);
        }
    }
}

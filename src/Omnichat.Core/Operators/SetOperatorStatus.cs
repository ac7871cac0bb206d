using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>An operator switches between ready and not-ready (with a reason); routing reacts to the event.</summary>
public static class SetOperatorStatus
{
    public sealed record Request(OperatorStatus? Status, string? Reason);

    public sealed record Response(OperatorStatus Status, string? Reason, DateTimeOffset Since);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Status).NotNull().Must(s => s is OperatorStatus.Ready or OperatorStatus.NotReady or OperatorStatus.Offline)
                .WithMessage("'status' must be ready, not-ready or offline.");
            RuleFor(r => r.Reason).MaximumLength(Operator.MaxStatusReasonLength);
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<Response> HandleAsync(OperatorId id, Request request, CancellationToken cancellationToken)
        {
            var op = await db.Operators.FirstOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException("Operator", id);
            op.SetStatus(request.Status!.Value, request.Reason, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return new Response(op.Status, op.StatusReason, op.StatusSince);
        }
    }
}

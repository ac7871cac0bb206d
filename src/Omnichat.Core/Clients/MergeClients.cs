using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Audit;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>
/// An operator joins another client into the client of the conversation they handle (C4): the other
/// client's conversations and identities move here, audited. Operators may merge only a client that
/// shares the phone or e-mail (<see cref="FindClientMatches"/>); supervisors and administrators any client.
/// </summary>
public static class MergeClients
{
    public sealed record Request(Guid? ClientId, string? Reason);

    public sealed record Response(ClientCardView Client, IReadOnlyList<Guid> MovedConversations);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.ClientId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.Reason).MaximumLength(AuditRecord.MaxReasonLength)
                .Must(r => r is null || !r.Any(c => char.IsControl(c) && c != '\n')).WithMessage("'reason' must not contain control characters.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, ClientCard.Handler cards, TimeProvider time)
    {
        public async Task<Response> HandleAsync(StaffScope staff, Guid conversationId, Request request, CancellationToken cancellationToken)
        {
            var conversation = await staff.HandledAsync(db.Conversations.AsNoTracking(), conversationId,
                "Only the assigned operator (or a supervisor) can merge this client.", cancellationToken);
            var otherId = ClientId.From(request.ClientId!.Value);
            if (!staff.Has(Permissions.MergeClients))
            {
                var survivor = await db.Clients.AsNoTracking().Where(c => c.Id == conversation.ClientId).Select(c => new { c.PhoneKey, c.EmailKey })
                    .FirstAsync(cancellationToken);
                var matches = await FindClientMatches.Handler.MatchesAsync(db, conversation.ClientId, survivor.PhoneKey, survivor.EmailKey, cancellationToken);
                if (otherId != conversation.ClientId && !matches.Any(m => m.Id == otherId.Value))
                {
                    // An operator does not learn whether an unrelated client id exists.
                    throw new NotFoundException("Client", otherId);
                }
            }

            var strategy = db.Database.CreateExecutionStrategy();
            var moved = await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                return await ClientMerger.MergeAsync(db, conversation.ClientId, otherId, Actor.ForOperator(staff.OperatorId), ClientMerger.Trigger.Operator,
                    request.Reason, time.GetUtcNow(), ct);
            }, cancellationToken);
            return new Response(await cards.GetAsync(staff, conversationId, cancellationToken), moved);
        }
    }
}

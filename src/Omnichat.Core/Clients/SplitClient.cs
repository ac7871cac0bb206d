using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Audit;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>
/// Undoes a wrong join (C4): chosen conversations and identities of the client of a conversation I handle
/// become a new client, audited. Conversations must be ones I may read in the client's history.
/// </summary>
public static class SplitClient
{
    public const int MaxItems = 500;

    public sealed record Request(
        IReadOnlyList<Guid>? ConversationIds, IReadOnlyList<Guid>? IdentityIds, string? DisplayName, string? Phone, string? Email, string? Reason);

    public sealed record Response(Guid NewClientId, IReadOnlyList<Guid> MovedConversations, int MovedIdentities);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.ConversationIds).Must(c => c is null || c.Count <= MaxItems).WithMessage($"At most {MaxItems} conversations.");
            RuleFor(r => r.IdentityIds).Must(c => c is null || c.Count <= MaxItems).WithMessage($"At most {MaxItems} identities.");
            RuleFor(r => r.ConversationIds).Must((r, c) => c is { Count: > 0 } || r.IdentityIds is { Count: > 0 })
                .WithMessage("Choose the conversations and/or identities that belong to another person.");
            RuleFor(r => r.DisplayName).ClientName();
            RuleFor(r => r.Email).ClientEmail();
            RuleFor(r => r.Phone).ClientPhone();
            RuleFor(r => r.Reason).MaximumLength(AuditRecord.MaxReasonLength)
                .Must(r => r is null || !r.Any(c => char.IsControl(c) && c != '\n')).WithMessage("'reason' must not contain control characters.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<Response> HandleAsync(StaffScope staff, Guid conversationId, Request request, CancellationToken cancellationToken)
        {
            var conversation = await staff.HandledAsync(db.Conversations.AsNoTracking(), conversationId,
                "Only the assigned operator (or a supervisor) can split this client.", cancellationToken);
            var clientId = conversation.ClientId;
            var wanted = (request.ConversationIds ?? []).Distinct().Select(ConversationId.From).ToList();
            var readable = await staff.VisibleHistory(db.Conversations).Where(c => c.ClientId == clientId && wanted.Contains(c.Id))
                .Select(c => c.Id).ToListAsync(cancellationToken);
            if (wanted.Contains(conversation.Id) && !readable.Contains(conversation.Id))
            {
                readable.Add(conversation.Id); // the conversation I handle is always mine to split off
            }

            if (wanted.Where(w => !readable.Contains(w)).Select(w => (Guid?)w.Value).FirstOrDefault() is { } missing)
            {
                throw new NotFoundException("Conversation", missing);
            }

            var identityIds = (request.IdentityIds ?? []).Distinct().Select(ClientIdentityId.From).ToList();
            static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
            var strategy = db.Database.CreateExecutionStrategy();
            return await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var client = await db.Clients.Include(c => c.Identities).FirstAsync(c => c.Id == clientId, ct);
                var identities = client.Identities.Where(i => identityIds.Contains(i.Id)).ToList();
                if (identities.Count != identityIds.Count)
                {
                    throw new NotFoundException("Identity", identityIds.First(id => identities.TrueForAll(i => i.Id != id)));
                }

                var total = await db.Conversations.IgnoreQueryFilters().CountAsync(c => c.ClientId == clientId, ct);
                if (wanted.Count == total && identities.Count == client.Identities.Count)
                {
                    throw new FieldValidationException("conversationIds", "Nothing would stay with this client; edit its contacts instead of splitting it.");
                }

                var now = time.GetUtcNow();
                var before = ClientMerger.Snapshot.Of(client);
                var split = client.SplitOff(identities, Clean(request.DisplayName), Clean(request.Phone), Clean(request.Email), now);
                db.Clients.Add(split);
                var moved = wanted.Select(c => c.Value).ToList();
                db.Add(AuditRecord.Create(Actor.ForOperator(staff.OperatorId), ClientMerger.SplitAction, ClientMerger.ClientSubject, clientId.ToString(),
                    split.Id.ToString(), request.Reason, new { before, split = ClientMerger.Snapshot.Of(split), conversations = moved }, now));
                await db.SaveChangesAsync(ct);
                if (wanted.Count > 0)
                {
                    await ClientMerger.MoveOwnedRowsAsync(db, clientId, split.Id, wanted, ct);
                }

                await transaction.CommitAsync(ct);
                return new Response(split.Id.Value, moved, identities.Count);
            }, cancellationToken);
        }
    }
}

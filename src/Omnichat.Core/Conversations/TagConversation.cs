using FluentValidation;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>Replaces a conversation's tags (its operator, or a supervisor/administrator); also after it is closed.</summary>
public static class TagConversation
{
    public sealed record Request(IReadOnlyList<string>? Tags);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Tags).NotNull().Must(t => t is null || t.Count <= Conversation.MaxTags).WithMessage($"At most {Conversation.MaxTags} tags.");
            RuleForEach(r => r.Tags).NotEmpty().MaximumLength(Conversation.MaxTagLength)
                .Must(t => t is null || !t.Any(char.IsControl)).WithMessage("A tag must not contain control characters.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, GetConversation.Handler get, TimeProvider time)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, Request request, CancellationToken cancellationToken)
        {
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await scope.HandledAsync(db.Conversations, id,
                    "Only the assigned operator (or a supervisor) can tag this conversation.", ct);

                conversation.SetTags(request.Tags ?? [], Actor.ForOperator(scope.OperatorId), time.GetUtcNow());
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            return await get.HandleAsync(scope, id, cancellationToken);
        }
    }
}

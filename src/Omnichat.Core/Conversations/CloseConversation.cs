using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Conversations;

/// <summary>Closes a conversation (its operator, or a supervisor/administrator); the client may write again later.</summary>
public static class CloseConversation
{
    public sealed record Request(string? Topic);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Topic).MaximumLength(Conversation.MaxTopicLength);
    }

    public sealed class Handler(OmnichatDbContext db, GetConversation.Handler get, TimeProvider time)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, Request? request, CancellationToken cancellationToken)
        {
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), ct)
                    ?? throw new NotFoundException("Conversation", id);
                if (!scope.MayHandle(conversation))
                {
                    throw new ConflictException("Only the assigned operator (or a supervisor) can close this conversation.", "conversationId");
                }

                var now = time.GetUtcNow();
                var heldBy = conversation.OperatorId;
                var released = conversation.Close(request?.Topic, Actor.ForOperator(scope.OperatorId), now);
                // The operator who handled it starts the group's wrap-up; a withdrawn offer just frees the slot.
                await OperatorCapacity.ReleaseAsync(db, released, conversation.SkillGroupId, startWrapUp: released == heldBy, now, ct);
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            return await get.HandleAsync(scope, id, cancellationToken);
        }
    }
}

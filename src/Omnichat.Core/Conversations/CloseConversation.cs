using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

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
            var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), cancellationToken)
                ?? throw new NotFoundException("Conversation", id);
            if (!scope.MayHandle(conversation))
            {
                throw new ConflictException("Only the assigned operator (or a supervisor) can close this conversation.", "conversationId");
            }

            conversation.Close(request?.Topic, Actor.ForOperator(scope.OperatorId), time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return await get.HandleAsync(scope, id, cancellationToken);
        }
    }
}

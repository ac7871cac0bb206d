using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>A staff reply (or a private note), idempotent by <c>clientMessageId</c> like the client's.</summary>
public static class SendOperatorMessage
{
    public sealed record Request(string ClientMessageId, string? Text, bool? Note);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OmnichatOptions> options)
        {
            MessageRules.ClientMessageId(RuleFor(r => r.ClientMessageId));
            MessageRules.Text(RuleFor(r => r.Text), options.Value.Messages.MaxTextLength);
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public Task<SentMessage> HandleAsync(StaffScope scope, Guid conversationId, Request request, CancellationToken cancellationToken) =>
            MessageRules.WithConflictRetryAsync(db, ct => AttemptAsync(scope, conversationId, request, ct), cancellationToken);

        private async Task<SentMessage> AttemptAsync(StaffScope scope, Guid conversationId, Request request, CancellationToken cancellationToken)
        {
            var author = scope.OperatorId.ToString();
            var existing = await MessageRules.FindBySenderKeyAsync(db, author, request.ClientMessageId, cancellationToken);
            if (existing is not null)
            {
                if (existing.ConversationId.Value != conversationId)
                {
                    throw new ConflictException("This clientMessageId was already used for another conversation.", "clientMessageId");
                }

                return new SentMessage(MessageView.From(existing, null), Created: false);
            }

            var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(conversationId), cancellationToken)
                ?? throw new NotFoundException("Conversation", conversationId);
            if (!scope.MayHandle(conversation))
            {
                throw new ConflictException("Only the assigned operator (or a supervisor) can write in this conversation.", "conversationId");
            }

            var direction = request.Note == true ? MessageDirection.Note : MessageDirection.Out;
            var message = conversation.AppendMessage(direction, Actor.ForOperator(scope.OperatorId), request.Text, request.ClientMessageId, null, time.GetUtcNow());
            conversation.MarkReadByOperator(message.Seq);
            await db.SaveChangesAsync(cancellationToken);
            var name = await db.Operators.Where(o => o.Id == scope.OperatorId).Select(o => o.DisplayName).FirstOrDefaultAsync(cancellationToken);
            return new SentMessage(MessageView.From(message, name), Created: true);
        }
    }
}

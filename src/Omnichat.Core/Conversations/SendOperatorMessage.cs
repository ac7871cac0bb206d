using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>A staff reply (or a private note), idempotent by <c>clientMessageId</c> like the client's.</summary>
public static class SendOperatorMessage
{
    /// <summary>A reply or note; <c>AttachmentIds</c>: files uploaded into this conversation by the same staff member.</summary>
    public sealed record Request(string ClientMessageId, string? Text, bool? Note, IReadOnlyList<Guid>? AttachmentIds = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OmnichatOptions> options)
        {
            MessageRules.ClientMessageId(RuleFor(r => r.ClientMessageId));
            MessageRules.OptionalText(RuleFor(r => r.Text), options.Value.Messages.MaxTextLength, r => r.AttachmentIds is { Count: > 0 });
            RuleFor(r => r.AttachmentIds).Must(a => a is null || a.Count <= Files.PendingUploads.MaxPerMessage)
                .WithMessage($"At most {Files.PendingUploads.MaxPerMessage} files per message.");
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

            var conversation = await scope.HandledAsync(db.Conversations, conversationId,
                "Only the assigned operator (or a supervisor) can write in this conversation.", cancellationToken);

            var direction = request.Note == true ? MessageDirection.Note : MessageDirection.Out;
            var files = await Files.PendingUploads.TakeAsync(db, author, conversation.ChannelId, request.AttachmentIds, cancellationToken);
            if (files.Exists(f => f.ConversationId is { } c && c != conversation.Id))
            {
                throw new FieldValidationException("attachmentIds", "These files were uploaded into another conversation.");
            }

            var message = conversation.AppendMessage(direction, Actor.ForOperator(scope.OperatorId), request.Text, request.ClientMessageId, files, time.GetUtcNow());
            conversation.MarkReadByOperator(message.Seq);
            await db.SaveChangesAsync(cancellationToken);
            var name = await db.Operators.Where(o => o.Id == scope.OperatorId).Select(o => o.DisplayName).FirstOrDefaultAsync(cancellationToken);
            return new SentMessage(MessageView.From(message, name), Created: true);
        }
    }
}

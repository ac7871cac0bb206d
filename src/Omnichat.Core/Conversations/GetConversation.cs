using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Conversations;

/// <summary>One conversation and its messages (including notes) for staff who may see it.</summary>
public static class GetConversation
{
    public sealed record MessagesResponse(IReadOnlyList<MessageView> Messages, bool HasMore);

    public sealed class Handler(OmnichatDbContext db, QueuePositions positions, TimeProvider time)
    {
        /// <summary>The conversation with, while it waits, its queue position and expected wait.</summary>
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
        {
            var view = await ListConversations.Project(db, scope.Visible(db.Conversations.AsNoTracking()).Where(c => c.Id == ConversationId.From(id)))
                           .FirstOrDefaultAsync(cancellationToken)
                       ?? throw new NotFoundException("Conversation", id);
            if (view.Status == ConversationStatus.Queued && await positions.ForAsync(ConversationId.From(id), cancellationToken) is { } p)
            {
                view = view with { QueuePosition = p.Position, ExpectedWaitSeconds = p.ExpectedWaitSeconds };
            }

            await AuditOpeningAsync(scope, view, cancellationToken);
            return view;
        }

        /// <summary>
        /// A supervisor, analyst or key opening a conversation that is not theirs is audited (PRODUCT S2) — once per
        /// person and conversation per half hour, so a screen that re-reads it does not flood the log.
        /// </summary>
        private async Task AuditOpeningAsync(StaffScope scope, ConversationView view, CancellationToken cancellationToken)
        {
            if (!scope.SeesEverything || view.OperatorId == scope.OperatorId.Value || db.Visibility is null)
            {
                return;
            }

            var now = time.GetUtcNow();
            var since = now - TimeSpan.FromMinutes(30);
            var actor = scope.Actor;
            var subject = view.Id.ToString();
            if (await db.AuditRecords.AnyAsync(r => r.SubjectType == "conversation" && r.SubjectId == subject && r.Action == "conversation.open"
                                                    && r.ActorId == actor.Id && r.At >= since, cancellationToken))
            {
                return;
            }

            db.AuditRecords.Add(Audit.AuditRecord.Create(actor, "conversation.open", "conversation", subject, view.OperatorId?.ToString(), null,
                new { status = view.Status.ToString(), skillGroupId = view.SkillGroupId }, now));
            await db.SaveChangesAsync(cancellationToken);
        }

        public async Task<MessagesResponse> MessagesAsync(StaffScope scope, Guid id, long afterSeq, int? limit, CancellationToken cancellationToken)
        {
            MessagePage.Validate(afterSeq, limit);
            var conversationId = ConversationId.From(id);
            if (!await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversationId, cancellationToken))
            {
                throw new NotFoundException("Conversation", id);
            }

            var (messages, hasMore) = await MessagePage.LoadAsync(db, conversationId, afterSeq, limit, includeNotes: true, cancellationToken);
            return new MessagesResponse(messages, hasMore);
        }

        /// <summary>The newest messages before <paramref name="beforeSeq"/> (the latest when null), oldest first; <c>HasMore</c>: earlier ones exist.</summary>
        public async Task<MessagesResponse> LatestMessagesAsync(StaffScope scope, Guid id, long? beforeSeq, int? limit, CancellationToken cancellationToken)
        {
            MessagePage.Validate(0, limit);
            if (beforeSeq is < 1)
            {
                throw new FieldValidationException("beforeSeq", "'beforeSeq' must be 1 or more.");
            }

            var conversationId = ConversationId.From(id);
            if (!await scope.Visible(db.Conversations).AnyAsync(c => c.Id == conversationId, cancellationToken))
            {
                throw new NotFoundException("Conversation", id);
            }

            var (messages, hasMore) = await MessagePage.LoadLatestAsync(db, conversationId, beforeSeq, limit, includeNotes: true, cancellationToken);
            return new MessagesResponse(messages, hasMore);
        }
    }
}

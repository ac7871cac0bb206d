using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Routing;

/// <summary>
/// Transfer (PRODUCT R4): to an operator of the conversation's group — ready and below capacity unless a
/// supervisor forces it — or to a group's queue, keeping the original waiting time. The comment reaches
/// the receiver as a staff-only note. Supervisors also reassign queued conversations and take over.
/// </summary>
public static class TransferConversation
{
    public const int MaxCommentLength = 1000;

    public sealed record Request(Guid? OperatorId, Guid? SkillGroupId, string? Comment, bool? Force);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.OperatorId).Must((r, op) => (op is not null) ^ (r.SkillGroupId is not null))
                .WithMessage("Give either 'operatorId' or 'skillGroupId'.");
            RuleFor(r => r.Comment).MaximumLength(MaxCommentLength);
        }
    }

    public sealed class Handler(OmnichatDbContext db, GetConversation.Handler get, TimeProvider time)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, Request request, CancellationToken cancellationToken)
        {
            var force = request.Force ?? false;
            if (force && !scope.Has(Permissions.Reassign))
            {
                throw new FieldValidationException("force", "Only supervisors can force a transfer.");
            }

            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), ct)
                                   ?? throw new NotFoundException("Conversation", id);
                if (!scope.MayHandle(conversation) && !scope.Has(Permissions.Reassign))
                {
                    throw new ConflictException("Only the assigned operator (or a supervisor) can transfer this conversation.", "conversationId");
                }

                if (!scope.HasAny(Permissions.Reassign, Permissions.SuperviseConversations) && conversation.Status != ConversationStatus.Assigned)
                {
                    throw new ConflictException("Only an assigned conversation can be transferred.", "conversationId");
                }

                var now = time.GetUtcNow();
                var actor = Actor.ForOperator(scope.OperatorId);
                OperatorId? released;
                if (request.OperatorId is { } to)
                {
                    released = await ToOperatorAsync(conversation, OperatorId.From(to), request.Comment, actor, force, now, ct);
                }
                else
                {
                    var group = SkillGroupId.From(request.SkillGroupId!.Value);
                    if (!await db.SkillGroups.AnyAsync(g => g.Id == group, ct))
                    {
                        throw new FieldValidationException("skillGroupId", "No such skill group.");
                    }

                    released = conversation.TransferToGroup(group, request.Comment, actor, now);
                }

                await OperatorCapacity.ReleaseAsync(db, released, null, startWrapUp: false, now, ct);
                if (!string.IsNullOrWhiteSpace(request.Comment))
                {
                    conversation.AppendMessage(MessageDirection.Note, actor, "↪ " + request.Comment.Trim(), null, null, now);
                }

                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            // The sender may no longer see it (it left their hands): the answer still shows where it went.
            using (db.PastBoundary())
            {
                return await get.HandleAsync(scope.Elevated(), id, cancellationToken);
            }
        }

        /// <summary>A supervisor takes the conversation themselves (over capacity if need be).</summary>
        public Task<ConversationView> TakeOverAsync(StaffScope scope, Guid id, CancellationToken cancellationToken) =>
            scope.Supervises
                ? HandleAsync(scope, id, new Request(scope.OperatorId.Value, null, null, true), cancellationToken)
                : throw new ConflictException("Only supervisors can take over conversations.", "conversationId");

        private async Task<OperatorId?> ToOperatorAsync(Conversation conversation, OperatorId to, string? comment, Actor actor, bool force, DateTimeOffset now,
            CancellationToken ct)
        {
            var target = await db.Operators.Include(o => o.SkillGroups).FirstOrDefaultAsync(o => o.Id == to, ct);
            if (target is null || !target.Enabled)
            {
                throw new FieldValidationException("operatorId", target is null ? "No such operator." : "This operator is disabled.");
            }

            if (conversation.OperatorId == to)
            {
                throw new FieldValidationException("operatorId", "The conversation is already assigned to this operator.");
            }

            if (!force && !target.SkillGroups.Exists(m => m.SkillGroupId == conversation.SkillGroupId))
            {
                throw new FieldValidationException("operatorId", "This operator is not a member of the conversation's skill group.");
            }

            if (!force && target.Status != OperatorStatus.Ready)
            {
                throw new ConflictException($"{target.DisplayName} is not ready.", "operatorId");
            }

            target.Reserve(now, force);
            return conversation.TransferToOperator(to, comment, actor, now);
        }
    }
}

using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Conversations;

/// <summary>Closes a conversation (its operator, or a supervisor/administrator); the client may write again later.</summary>
public static class CloseConversation
{
    /// <summary><c>Resolution</c>: one of the group's resolution codes (required when the group says so).</summary>
    public sealed record Request(string? Topic, string? Resolution = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Topic).MaximumLength(Conversation.MaxTopicLength);
            RuleFor(r => r.Resolution).MaximumLength(SkillGroup.MaxResolutionCodeLength);
        }
    }

    public sealed class Handler(OmnichatDbContext db, GetConversation.Handler get, TimeProvider time)
    {
        public async Task<ConversationView> HandleAsync(StaffScope scope, Guid id, Request? request, CancellationToken cancellationToken)
        {
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                var conversation = await scope.HandledAsync(db.Conversations, id,
                    "Only the assigned operator (or a supervisor) can close this conversation.", ct);

                var resolution = await ResolutionAsync(conversation, request?.Resolution, ct);
                var now = time.GetUtcNow();
                var heldBy = conversation.OperatorId;
                var released = conversation.Close(request?.Topic, Actor.ForOperator(scope.OperatorId), now, resolution);
                // The operator who handled it starts the group's wrap-up; a withdrawn offer just frees the slot.
                await OperatorCapacity.ReleaseAsync(db, released, conversation.SkillGroupId, startWrapUp: released == heldBy, now, ct);
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            return await get.HandleAsync(scope, id, cancellationToken);
        }

        /// <summary>The group's spelling of the chosen code; refused when it is not on the list, or missing where required.</summary>
        private async Task<string?> ResolutionAsync(Conversation conversation, string? given, CancellationToken cancellationToken)
        {
            var group = conversation.SkillGroupId is { } g
                ? await db.SkillGroups.AsNoTracking().Where(x => x.Id == g).Select(x => new { x.ResolutionCodes, x.ResolutionRequired }).FirstOrDefaultAsync(cancellationToken)
                : null;
            var codes = group?.ResolutionCodes ?? [];
            var chosen = string.IsNullOrWhiteSpace(given) ? null : given.Trim();
            if (chosen is null)
            {
                return group?.ResolutionRequired == true
                    ? throw new FieldValidationException("resolution", "Choose a resolution: " + string.Join(", ", codes) + ".")
                    : null;
            }

            return codes.Count == 0
                ? throw new FieldValidationException("resolution", "This conversation's group has no resolution codes.")
                : codes.FirstOrDefault(c => string.Equals(c, chosen, StringComparison.OrdinalIgnoreCase))
                  ?? throw new FieldValidationException("resolution", "Choose one of: " + string.Join(", ", codes) + ".");
        }
    }
}

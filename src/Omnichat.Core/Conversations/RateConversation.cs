using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>The client rates a closed conversation of theirs: 1–5 stars and an optional comment (once).</summary>
public static class RateConversation
{
    public sealed record Request(Guid? ConversationId, int? Score, string? Comment);

    public sealed record Response(Guid ConversationId, int Score, string? Comment, DateTimeOffset RatedAt);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Score).NotNull().InclusiveBetween(1, 5).WithMessage("'score' is 1 to 5.");
            RuleFor(r => r.Comment).MaximumLength(Conversation.MaxCommentLength);
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<Response> HandleAsync(ClientPrincipal client, Request request, CancellationToken cancellationToken) =>
            await MessageRules.WithConflictRetryAsync(db, async ct =>
            {
                // The given conversation, else the client's latest in this channel — never someone else's.
                var mine = db.Conversations.Where(c => c.ClientId == client.ClientId && c.ChannelId == client.ChannelId);
                var conversation = request.ConversationId is { } id
                    ? await mine.FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), ct) ?? throw new NotFoundException("Conversation", id)
                    : await mine.OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Conversation", "latest");
                if (conversation.Status == ConversationStatus.Rated)
                {
                    throw new ConflictException("This conversation has already been rated.", "conversationId");
                }

                if (conversation.IsOpen)
                {
                    throw new ConflictException("A conversation can be rated once it is closed.", "conversationId");
                }

                var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
                var now = time.GetUtcNow();
                conversation.Rate(request.Score!.Value, comment, Actor.ForClient(client.ClientId), now);
                await db.SaveChangesAsync(ct);
                return new Response(conversation.Id.Value, request.Score.Value, comment, now);
            }, cancellationToken);
    }
}

using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

public sealed record ClientIdentityView(ChannelKind ChannelKind, string ExternalId, bool Verified);

public sealed record ClientRatingView(Guid ConversationId, int Score, string? Comment, DateTimeOffset RatedAt);

/// <summary>An earlier conversation of the client, as the history lists it.</summary>
public sealed record ClientConversationSummary(
    Guid Id, string ChannelName, ChannelKind ChannelKind, ConversationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
    long Messages, string? Topic, string? Resolution, int? Rating);

/// <summary>The client beside a conversation (PRODUCT W1, C4): contacts, identities, earlier ratings, counts.</summary>
public sealed record ClientCardView(
    Guid Id, string? DisplayName, string? Email, string? Phone, IReadOnlyList<ClientIdentityView> Identities, int Conversations,
    IReadOnlyList<ClientRatingView> Ratings, Guid? BranchId, Guid? RegionId, DateTimeOffset CreatedAt);

/// <summary>
/// Read and edit the client of a conversation I may see; the history lists the client's other
/// conversations I may read (<see cref="StaffScope.VisibleHistory"/>), newest first, and their messages.
/// </summary>
public static class ClientCard
{
    public sealed record UpdateRequest(string? DisplayName, string? Email, string? Phone);

    public sealed class UpdateValidator : AbstractValidator<UpdateRequest>
    {
        public UpdateValidator()
        {
            RuleFor(r => r.DisplayName).MaximumLength(Client.MaxNameLength)
                .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("'displayName' must not contain control characters.");
            RuleFor(r => r.Email).MaximumLength(Client.MaxEmailLength)
                .Must(e => string.IsNullOrWhiteSpace(e) || Mail.MailRules.IsValidAddress(e.Trim())).WithMessage("'email' is not a valid e-mail address.");
            RuleFor(r => r.Phone).MaximumLength(Client.MaxPhoneLength)
                .Matches(@"^\+?[0-9 ()\-]{3,32}$").When(r => !string.IsNullOrWhiteSpace(r.Phone))
                .WithMessage("'phone' may contain digits, spaces, ( ) - and a leading + only.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<ClientCardView> GetAsync(StaffScope staff, Guid conversationId, CancellationToken cancellationToken)
        {
            var conversation = await CurrentAsync(staff, conversationId, cancellationToken);
            return await CardAsync(staff, conversation.ClientId, conversation, cancellationToken);
        }

        /// <summary>Edits name, e-mail and phone (an empty value clears it); only who may handle the conversation.</summary>
        public async Task<ClientCardView> UpdateAsync(StaffScope staff, Guid conversationId, UpdateRequest request, CancellationToken cancellationToken)
        {
            var conversation = await CurrentAsync(staff, conversationId, cancellationToken);
            if (!staff.MayHandle(conversation))
            {
                throw new ConflictException("Only the assigned operator (or a supervisor) can edit this client.", "conversationId");
            }

            var client = await db.Clients.FirstAsync(c => c.Id == conversation.ClientId, cancellationToken);
            static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
            client.UpdateContacts(Clean(request.DisplayName), Clean(request.Phone), Clean(request.Email), time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return await CardAsync(staff, conversation.ClientId, conversation, cancellationToken);
        }

        /// <summary>The client's other conversations I may read, newest first (<paramref name="before"/>: older than this).</summary>
        public async Task<IReadOnlyList<ClientConversationSummary>> HistoryAsync(StaffScope staff, Guid conversationId, DateTimeOffset? before, int? limit,
            CancellationToken cancellationToken)
        {
            var conversation = await CurrentAsync(staff, conversationId, cancellationToken);
            var take = Math.Clamp(limit ?? 20, 1, 100);
            var query = staff.VisibleHistory(db.Conversations.AsNoTracking())
                .Where(c => c.ClientId == conversation.ClientId && c.Id != conversation.Id);
            if (before is { } b)
            {
                query = query.Where(c => c.CreatedAt < b);
            }

            return await (from c in query.OrderByDescending(c => c.CreatedAt).Take(take)
                          join ch in db.Channels on c.ChannelId equals ch.Id
                          select new ClientConversationSummary(c.Id.Value, ch.Name, ch.Kind, c.Status, c.CreatedAt, c.ClosedAt, c.LastMessageSeq, c.Topic,
                              c.Resolution, c.Rating)).ToListAsync(cancellationToken);
        }

        /// <summary>Messages of an earlier conversation of the same client (notes included: staff read them).</summary>
        public async Task<GetConversation.MessagesResponse> HistoryMessagesAsync(StaffScope staff, Guid conversationId, Guid earlierId, long? beforeSeq, int? limit,
            CancellationToken cancellationToken)
        {
            MessagePage.Validate(0, limit);
            var conversation = await CurrentAsync(staff, conversationId, cancellationToken);
            var earlier = ConversationId.From(earlierId);
            if (!await staff.VisibleHistory(db.Conversations).AnyAsync(c => c.Id == earlier && c.ClientId == conversation.ClientId, cancellationToken))
            {
                throw new NotFoundException("Conversation", earlierId);
            }

            var (messages, hasMore) = await MessagePage.LoadLatestAsync(db, earlier, beforeSeq, limit, includeNotes: true, cancellationToken);
            return new GetConversation.MessagesResponse(messages, hasMore);
        }

        private async Task<Conversation> CurrentAsync(StaffScope staff, Guid conversationId, CancellationToken cancellationToken) =>
            await staff.Visible(db.Conversations).AsNoTracking().FirstOrDefaultAsync(c => c.Id == ConversationId.From(conversationId), cancellationToken)
            ?? throw new NotFoundException("Conversation", conversationId);

        private async Task<ClientCardView> CardAsync(StaffScope staff, ClientId clientId, Conversation current, CancellationToken cancellationToken)
        {
            var client = await db.Clients.AsNoTracking().Include(c => c.Identities).FirstAsync(c => c.Id == clientId, cancellationToken);
            var history = staff.VisibleHistory(db.Conversations.AsNoTracking()).Where(c => c.ClientId == clientId);
            var count = await history.CountAsync(cancellationToken);
            var ratings = await history.Where(c => c.Rating != null).OrderByDescending(c => c.RatedAt).Take(10)
                .Select(c => new ClientRatingView(c.Id.Value, c.Rating!.Value, c.RatingComment, c.RatedAt!.Value)).ToListAsync(cancellationToken);
            return new ClientCardView(client.Id.Value, client.DisplayName, client.Email, client.Phone,
                client.Identities.OrderBy(i => i.CreatedAt).Select(i => new ClientIdentityView(i.ChannelKind, i.ExternalId, i.Verified)).ToList(),
                count, ratings, current.BranchId?.Value, current.RegionId?.Value, client.CreatedAt);
        }
    }
}

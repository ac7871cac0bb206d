using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

public sealed record ClientIdentityView(Guid Id, ChannelKind ChannelKind, string ExternalId, bool Verified);

public sealed record ClientRatingView(Guid ConversationId, int Score, string? Comment, DateTimeOffset RatedAt);

/// <summary>An earlier conversation of the client, as the history lists it.</summary>
public sealed record ClientConversationSummary(
    Guid Id, string ChannelName, ChannelKind ChannelKind, ConversationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
    long Messages, string? Topic, string? Resolution, int? Rating);

/// <summary>The client beside a conversation (PRODUCT W1, C4): contacts, identities, earlier ratings, counts.</summary>
public sealed record ClientCardView(
    Guid Id, string? DisplayName, string? Email, string? Phone, IReadOnlyList<ClientIdentityView> Identities, int Conversations,
    IReadOnlyList<ClientRatingView> Ratings, Guid? BranchId, Guid? RegionId, DateTimeOffset CreatedAt, bool EmailConfirmed = false, bool PhoneConfirmed = false,
    IReadOnlyList<Guid>? JoinedClients = null, IReadOnlyDictionary<string, string>? Fields = null);

/// <summary>How a client's contacts are checked wherever staff enter them.</summary>
public static class ContactRules
{
    public static IRuleBuilderOptions<T, string?> ClientName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Client.MaxNameLength)
            .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("'{PropertyName}' must not contain control characters.");

    public static IRuleBuilderOptions<T, string?> ClientEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Client.MaxEmailLength)
            .Must(e => string.IsNullOrWhiteSpace(e) || Mail.MailRules.IsValidAddress(e.Trim())).WithMessage("'{PropertyName}' is not a valid e-mail address.");

    public static IRuleBuilderOptions<T, string?> ClientPhone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Client.MaxPhoneLength)
            .Must(p => string.IsNullOrWhiteSpace(p) || System.Text.RegularExpressions.Regex.IsMatch(p, @"^\+?[0-9 ()\-]{3,32}$"))
            .WithMessage("'{PropertyName}' may contain digits, spaces, ( ) - and a leading + only.");
}

/// <summary>
/// Read and edit the client of a conversation I may see; the history lists the client's other
/// conversations I may read (<see cref="StaffScope.VisibleHistory"/>), newest first, and their messages.
/// </summary>
public static class ClientCard
{
    /// <summary>
    /// <c>PhoneConfirmed</c>/<c>EmailConfirmed</c>: the operator checked the value with the client (null keeps
    /// the mark; a changed value loses it). A confirmed value joins live clients with the same confirmed value.
    /// </summary>
    public sealed record UpdateRequest(string? DisplayName, string? Email, string? Phone, bool? PhoneConfirmed = null, bool? EmailConfirmed = null);

    public sealed class UpdateValidator : AbstractValidator<UpdateRequest>
    {
        public UpdateValidator()
        {
            RuleFor(r => r.DisplayName).ClientName();
            RuleFor(r => r.Email).ClientEmail();
            RuleFor(r => r.Phone).ClientPhone();
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<ClientCardView> GetAsync(StaffScope staff, Guid conversationId, CancellationToken cancellationToken)
        {
            var conversation = await CurrentAsync(staff, conversationId, cancellationToken);
            return await CardAsync(staff, conversation.ClientId, conversation, cancellationToken);
        }

        /// <summary>
        /// Edits name, e-mail and phone (an empty value clears it) and their confirmation; only who may handle
        /// the conversation. Clients whose same phone or e-mail an operator confirmed too are joined into this one
        /// (one that cannot be joined now — an open conversation in the same channel — stays a match).
        /// </summary>
        public async Task<ClientCardView> UpdateAsync(StaffScope staff, Guid conversationId, UpdateRequest request, CancellationToken cancellationToken)
        {
            var conversation = await staff.HandledAsync(db.Conversations.AsNoTracking(), conversationId,
                "Only the assigned operator (or a supervisor) can edit this client.", cancellationToken);
            var client = await db.Clients.FirstAsync(c => c.Id == conversation.ClientId, cancellationToken);
            static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
            var now = time.GetUtcNow();
            client.UpdateContacts(Clean(request.DisplayName), Clean(request.Phone), Clean(request.Email), now);
            client.Confirm(request.PhoneConfirmed ?? client.PhoneConfirmed, request.EmailConfirmed ?? client.EmailConfirmed, now);
            await db.SaveChangesAsync(cancellationToken);

            var joined = new List<Guid>();
            var (phoneKey, emailKey) = (client.PhoneConfirmed ? client.PhoneKey : null, client.EmailConfirmed ? client.EmailKey : null);
            var same = await db.Clients.AsNoTracking()
                .Where(c => c.MergedIntoId == null && c.Id != client.Id
                            && ((phoneKey != null && c.PhoneConfirmed && c.PhoneKey == phoneKey) || (emailKey != null && c.EmailConfirmed && c.EmailKey == emailKey)))
                .OrderBy(c => c.CreatedAt).Take(FindClientMatches.Limit).Select(c => new { c.Id, c.PhoneKey }).ToListAsync(cancellationToken);
            foreach (var other in same)
            {
                var trigger = phoneKey is not null && other.PhoneKey == phoneKey ? ClientMerger.Trigger.ConfirmedPhone : ClientMerger.Trigger.ConfirmedEmail;
                try
                {
                    await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
                    {
                        db.ChangeTracker.Clear();
                        return await ClientMerger.MergeAsync(db, client.Id, other.Id, Actor.ForOperator(staff.OperatorId), trigger, null, now, ct);
                    }, cancellationToken);
                    joined.Add(other.Id.Value);
                }
                catch (ConflictException)
                {
                    // Both have an open conversation in one channel: left as a match to merge once one closes.
                }
            }

            return await CardAsync(staff, conversation.ClientId, conversation, cancellationToken) with { JoinedClients = joined };
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
                client.Identities.OrderBy(i => i.CreatedAt).Select(i => new ClientIdentityView(i.Id.Value, i.ChannelKind, i.ExternalId, i.Verified)).ToList(),
                count, ratings, current.BranchId?.Value, current.RegionId?.Value, client.CreatedAt, client.EmailConfirmed, client.PhoneConfirmed,
                Fields: client.Fields);
        }
    }
}

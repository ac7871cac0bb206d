using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>Another client who may be the same person: why (the same phone, the same e-mail) and how much they have.</summary>
public sealed record ClientMatchView(
    Guid Id, string? DisplayName, string? Phone, bool PhoneConfirmed, string? Email, bool EmailConfirmed, IReadOnlyList<string> Reasons,
    int Conversations, DateTimeOffset? LastContactAt);

/// <summary>
/// Candidates to merge with the client of a conversation I may see (C4): live clients sharing its phone or
/// e-mail (compared by <see cref="ContactKeys"/>). Operators may merge only these; supervisors any client.
/// </summary>
public static class FindClientMatches
{
    public const int Limit = 20;

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<ClientMatchView>> HandleAsync(StaffScope staff, Guid conversationId, CancellationToken cancellationToken)
        {
            var clientId = await staff.Visible(db.Conversations).Where(c => c.Id == ConversationId.From(conversationId)).Select(c => (ClientId?)c.ClientId)
                .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Conversation", conversationId);
            var keys = await db.Clients.Where(c => c.Id == clientId).Select(c => new { c.PhoneKey, c.EmailKey }).FirstAsync(cancellationToken);
            return await MatchesAsync(db, clientId, keys.PhoneKey, keys.EmailKey, cancellationToken);
        }

        internal static async Task<IReadOnlyList<ClientMatchView>> MatchesAsync(OmnichatDbContext db, ClientId clientId, string? phoneKey, string? emailKey,
            CancellationToken cancellationToken)
        {
            if (phoneKey is null && emailKey is null)
            {
                return [];
            }

            var rows = await db.Clients.AsNoTracking()
                .Where(c => c.MergedIntoId == null && c.Id != clientId
                            && ((phoneKey != null && c.PhoneKey == phoneKey) || (emailKey != null && c.EmailKey == emailKey)))
                .OrderByDescending(c => c.UpdatedAt).Take(Limit)
                .Select(c => new
                {
                    c.Id, c.DisplayName, c.Phone, c.PhoneConfirmed, c.Email, c.EmailConfirmed, c.PhoneKey, c.EmailKey,
                    Conversations = db.Conversations.Count(x => x.ClientId == c.Id),
                    LastContactAt = db.Conversations.Where(x => x.ClientId == c.Id).Max(x => (DateTimeOffset?)x.UpdatedAt),
                })
                .ToListAsync(cancellationToken);
            return rows.Select(r => new ClientMatchView(r.Id.Value, r.DisplayName, r.Phone, r.PhoneConfirmed, r.Email, r.EmailConfirmed,
                    [.. phoneKey is not null && r.PhoneKey == phoneKey ? ["phone"] : Array.Empty<string>(), .. emailKey is not null && r.EmailKey == emailKey ? ["email"] : Array.Empty<string>()],
                    r.Conversations, r.LastContactAt))
                .ToList();
        }
    }
}

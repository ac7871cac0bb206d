using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

public sealed record SessionView(Guid Id, StaffSessionKind Kind, string? UserAgent, string? IpAddress, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt, bool Current);

/// <summary>Active sign-ins of a staff member: list them, end one, or end all ("sign out everywhere").</summary>
public static class ManageSessions
{
    public sealed class Handler(OmnichatDbContext db, UserManager<StaffUser> users, TimeProvider time)
    {
        public async Task<IReadOnlyList<SessionView>> ListAsync(OperatorId who, Guid? current, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var rows = await db.StaffSessions.AsNoTracking().Where(s => s.OperatorId == who && s.EndedAt == null).ToListAsync(cancellationToken);
            return [.. rows.Where(s => s.IsActive(now)).OrderByDescending(s => s.LastSeenAt)
                .Select(s => new SessionView(s.Id.Value, s.Kind, s.UserAgent, s.IpAddress, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Id.Value == current))];
        }

        /// <summary>Ends one of <paramref name="who"/>'s sessions (404 for anybody else's: ids of other people's sessions tell nothing).</summary>
        public async Task EndAsync(OperatorId who, Guid sessionId, CancellationToken cancellationToken)
        {
            var session = await db.StaffSessions.FirstOrDefaultAsync(s => s.Id == StaffSessionId.From(sessionId) && s.OperatorId == who, cancellationToken)
                          ?? throw new NotFoundException("Session", sessionId);
            session.End(time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        /// <summary>Signs the account out everywhere: every session ends and every token issued before stops working.</summary>
        public async Task<int> EndAllAsync(OperatorId who, CancellationToken cancellationToken)
        {
            var user = await users.FindByIdAsync(who.Value.ToString()) ?? throw new NotFoundException("Operator", who.Value);
            var ended = await ManageSessions.EndAllAsync(db, who, time.GetUtcNow(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            OperatorRules.ThrowIfFailed(await users.UpdateSecurityStampAsync(user), "id");
            return ended;
        }
    }

    /// <summary>Marks every open session of the account ended (tracked; the caller saves).</summary>
    public static async Task<int> EndAllAsync(OmnichatDbContext db, OperatorId who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.StaffSessions.Where(s => s.OperatorId == who && s.EndedAt == null).ToListAsync(cancellationToken);
        open.ForEach(s => s.End(now));
        return open.Count;
    }
}

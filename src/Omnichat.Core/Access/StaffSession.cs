using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

public enum StaffSessionKind
{
    /// <summary>A bearer token from <c>/api/v1/auth/token</c>.</summary>
    Api,

    /// <summary>The browser sign-in (workstation, console).</summary>
    Web,

    /// <summary>The browser sign-in through OpenID Connect single sign-on.</summary>
    SingleSignOn,
}

/// <summary>
/// One signed-in place of a staff member (a browser, a token). Its id travels in the cookie or token; a session that
/// is ended (by its owner, "sign out everywhere" or an administrator) stops that cookie or token on its next request.
/// </summary>
public sealed class StaffSession
{
    public const int MaxUserAgentLength = 300;
    public const int MaxAddressLength = 64;

    /// <summary>The claim carrying the session id.</summary>
    public const string Claim = "omnichat:sid";

    /// <summary>Last-seen time is written at most this often (not on every request).</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private StaffSession()
    {
    }

    public StaffSessionId Id { get; private set; }

    public OperatorId OperatorId { get; private set; }

    public StaffSessionKind Kind { get; private set; }

    public string? UserAgent { get; private set; }

    public string? IpAddress { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public bool IsActive(DateTimeOffset now) => EndedAt is null && ExpiresAt > now;

    public static StaffSession Start(OperatorId operatorId, StaffSessionKind kind, string? userAgent, string? ipAddress, DateTimeOffset expiresAt,
        DateTimeOffset now) => new()
    {
        Id = StaffSessionId.New(),
        OperatorId = operatorId,
        Kind = kind,
        UserAgent = userAgent is null ? null : Clip(userAgent, MaxUserAgentLength),
        IpAddress = ipAddress is null ? null : Clip(ipAddress, MaxAddressLength),
        CreatedAt = now,
        LastSeenAt = now,
        ExpiresAt = expiresAt,
    };

    public void End(DateTimeOffset now) => EndedAt ??= now;

    /// <summary>The principal's session (claim <see cref="Claim"/>) when it is active and belongs to the principal; otherwise null.</summary>
    public static async Task<StaffSession?> FindActiveAsync(OmnichatDbContext db, System.Security.Claims.ClaimsPrincipal user, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id)
            || !Guid.TryParse(user.FindFirst(Claim)?.Value, out var sid))
        {
            return null;
        }

        var session = await db.StaffSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == StaffSessionId.From(sid), cancellationToken);
        return session is not null && session.IsActive(now) && session.OperatorId.Value == id ? session : null;
    }

    /// <summary>Whether the principal's session is active and its account enabled (long-lived circuits ask before every action).</summary>
    public static async Task<bool> ActiveAsync(OmnichatDbContext db, System.Security.Claims.ClaimsPrincipal user, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await FindActiveAsync(db, user, now, cancellationToken) is { } session
        && await db.Operators.AnyAsync(o => o.Id == session.OperatorId && o.Enabled, cancellationToken);

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}

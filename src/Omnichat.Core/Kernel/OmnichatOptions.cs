namespace Omnichat.Core.Kernel;

/// <summary>Configuration section <c>Omnichat</c> (environment variables <c>Omnichat__…</c>).</summary>
public sealed class OmnichatOptions
{
    public const string Section = "Omnichat";

    /// <summary>Comma-separated roles this node plays: web, channels, worker (default: all).</summary>
    public string Roles { get; set; } = "web,channels,worker";

    /// <summary>Folder for the SQLite file and local files (default ./data).</summary>
    public string DataPath { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();

    public BootstrapOptions Bootstrap { get; set; } = new();

    public DemoOptions Demo { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public MessagesOptions Messages { get; set; } = new();

    public ClientSessionOptions ClientSessions { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    public FilesOptions Files { get; set; } = new();

    public ReportsOptions Reports { get; set; } = new();
}

public sealed class ReportsOptions
{
    /// <summary>The time zone days, weeks and months of reports are cut in (IANA id); default: the server's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>How often operator times are rolled up and due schedules started.</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background export worker looks for queued exports when not signalled.</summary>
    public TimeSpan ExportPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Finished export files are deleted after this long.</summary>
    public TimeSpan ExportLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The live dashboard refreshes this often (at most 2 s behind reality).</summary>
    public TimeSpan DashboardRefresh { get; set; } = TimeSpan.FromSeconds(1);

    public TimeZoneInfo Zone => string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

public sealed class FilesOptions
{
    /// <summary>Folder of the local file storage (default: <c>files</c> under <see cref="OmnichatOptions.DataPath"/>).</summary>
    public string? Path { get; set; }

    /// <summary>The largest file any channel accepts, in megabytes (a channel's own limit can only be lower).</summary>
    public int MaxSizeMb { get; set; } = 25;

    /// <summary>Uploaded files never sent in a message are deleted after this long.</summary>
    public TimeSpan UnsentLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Uploaded-but-unsent files one sender may hold at a time (a flood of uploads gets 429).</summary>
    public int MaxUnsentPerSender { get; set; } = 20;
}

public sealed class RoutingOptions
{
    /// <summary>How often routing timers run (offer expiry, wrap-up end, overflow, maximum queue time, disconnects) and every queue is re-checked.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A ready operator whose last workstation connection has been gone this long is set not-ready (reason <c>disconnected</c>).</summary>
    public TimeSpan DisconnectGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a node records that its connected operators are still there.</summary>
    public TimeSpan PresenceHeartbeat { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often queue positions and expected waits are pushed to waiting clients (per group, at most).</summary>
    public TimeSpan QueueUpdateInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class MessagesOptions
{
    /// <summary>Longest message text accepted from clients and staff (the column holds up to 10,000).</summary>
    public int MaxTextLength { get; set; } = 4000;
}

public sealed class ClientSessionOptions
{
    /// <summary>How long a client token (widget, app) stays valid; a new session can be started any time.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Sessions one IP address may start per minute; more get 429 (a flood from one address does not hurt others).</summary>
    public int PerAddressPerMinute { get; set; } = 60;
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the server starts (production may run <c>migrate</c> instead).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public sealed class BootstrapOptions
{
    public string AdminLogin { get; set; } = "admin";

    /// <summary>When empty, a strong password is generated and printed once on first start.</summary>
    public string? AdminPassword { get; set; }
}

public sealed class DemoOptions
{
    /// <summary>Creates a demo branch, region, website channel, skill group and operator on an empty database.</summary>
    public bool Enabled { get; set; }
}

public sealed class AuthOptions
{
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The name authenticator apps show for Omnichat accounts.</summary>
    public string TwoFactorIssuer { get; set; } = "Omnichat";

    /// <summary>OpenID Connect single sign-on for staff; off unless an authority is configured.</summary>
    public SingleSignOnOptions SingleSignOn { get; set; } = new();
}

/// <summary>
/// Staff single sign-on through an OpenID Connect identity provider (authorization code flow with PKCE). A signed-in
/// person is matched to an existing staff account by the claim named in <see cref="MatchClaim"/> (accounts are not
/// created on the fly: an administrator decides who works here, with which role and scope).
/// </summary>
public sealed class SingleSignOnOptions
{
    /// <summary>The provider's issuer URL (its discovery document is at /.well-known/openid-configuration); empty = off.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The button's caption on the sign-in page.</summary>
    public string DisplayName { get; set; } = "SSO";

    /// <summary>email (matched against the account's e-mail) or preferred_username (against the login).</summary>
    public string MatchClaim { get; set; } = "email";

    /// <summary>Allow an authority over plain http (tests and a provider on the same host only).</summary>
    public bool RequireHttps { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>The roles of this node, parsed once from <see cref="OmnichatOptions.Roles"/>.</summary>
public sealed record NodeRoles(bool Web, bool Channels, bool Worker)
{
    public static NodeRoles Parse(string? roles)
    {
        if (string.IsNullOrWhiteSpace(roles))
        {
            return new NodeRoles(true, true, true);
        }

        var set = roles.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var unknown = set.Except(["web", "channels", "worker", "all"]).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Unknown role(s) in Omnichat:Roles: {string.Join(", ", unknown)}. Known: web, channels, worker.");
        }

        var all = set.Contains("all");
        return new NodeRoles(all || set.Contains("web"), all || set.Contains("channels"), all || set.Contains("worker"));
    }

    public override string ToString() =>
        string.Join(",", new[] { Web ? "web" : null, Channels ? "channels" : null, Worker ? "worker" : null }.Where(r => r is not null));
}

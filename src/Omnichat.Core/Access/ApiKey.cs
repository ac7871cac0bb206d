using System.Security.Cryptography;
using System.Text;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

/// <summary>
/// A key an integration (a bot, a connector, a BI tool) calls the API with. Only a SHA-256 hash of the key is
/// stored — the key is shown once, at creation; the public prefix finds the row. Revocable; its last use is kept.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 200;
    public const string KeyPrefix = "oc_";

    private ApiKey()
    {
    }

    public ApiKeyId Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The first characters of the key after <c>oc_</c> (shown in lists, used to find the row).</summary>
    public string Prefix { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; private set; } = "";

    public List<string> Scopes { get; private set; } = [];

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && !(ExpiresAt <= now);

    /// <summary>A new key and its secret text (<c>oc_{prefix}_{secret}</c>), which exists only in the answer.</summary>
    public static (ApiKey Key, string Secret) Create(string name, IEnumerable<string> scopes, Guid? createdBy, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = KeyPrefix + prefix + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = ApiKeyId.New(),
            Name = name.Trim(),
            Prefix = prefix,
            Hash = HashOf(secret),
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal)],
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        return (key, secret);
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public void Used(DateTimeOffset now) => LastUsedAt = now;

    /// <summary>The prefix of a presented key, or null when it does not look like one of ours.</summary>
    public static string? PrefixOf(string presented) =>
        presented.Length is > 20 and < 200 && presented.StartsWith(KeyPrefix, StringComparison.Ordinal) && presented.IndexOf('_', KeyPrefix.Length) is 15
            ? presented[KeyPrefix.Length..15]
            : null;

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(Hash));

    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>What an API key may be used for; each scope grants a fixed set of permissions (never account or role management).</summary>
public static class ApiKeyScopes
{
    public const string ConversationsRead = "conversations:read";
    public const string ConversationsWrite = "conversations:write";
    public const string ReportsRead = "reports:read";
    public const string Export = "export";
    public const string Channels = "channels";

    private static readonly Dictionary<string, string[]> Grants = new(StringComparer.Ordinal)
    {
        // A BI tool or a quality-control system reading conversations and transcripts.
        [ConversationsRead] = [Permissions.ViewConversations],
        // A bot or a CRM answering and closing conversations inside the key's scope.
        [ConversationsWrite] = [Permissions.ViewConversations, Permissions.SuperviseConversations],
        [ReportsRead] = [Permissions.ViewReports],
        [Export] = [Permissions.ViewReports, Permissions.Export],
        // A connector provisioning its channel (setup, webhook registration, tests).
        [Channels] = [Permissions.ManageChannels],
    };

    public static IReadOnlyList<string> All { get; } = [.. Grants.Keys];

    public static IEnumerable<string> PermissionsOf(string scope) => Grants.TryGetValue(scope, out var p) ? p : [];
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels;

public enum ChannelKind
{
    Webchat,
    Viber,
    Vk,
    Telegram,
    Api,
}

/// <summary>A way clients reach the company: the website widget, an app, a messenger bot, the generic API.</summary>
public sealed class Channel
{
    public const int MaxNameLength = 200;
    public const int MaxSettingsLength = 64 * 1024;

    private Channel()
    {
    }

    public ChannelId Id { get; private set; }

    public ChannelKind Kind { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Public key used by widgets and apps to address this channel (not secret).</summary>
    public string Key { get; private set; } = "";

    /// <summary>Shared secret: user-hash verification for webchat, webhook verification for messengers.</summary>
    public string Secret { get; private set; } = "";

    public bool Enabled { get; private set; }

    /// <summary>Kind-specific settings as a JSON object (theme, tokens, limits…).</summary>
    public string Settings { get; private set; } = "{}";

    public BranchId? BranchId { get; private set; }

    public RegionId? RegionId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Creates an enabled channel; <c>key</c> is generated unless fixed (the demo channel uses <c>demo</c>).</summary>
    public static Channel Create(ChannelKind kind, string name, JsonObject? settings, BranchId? branchId, RegionId? regionId, DateTimeOffset now, string? key = null) => new()
    {
        Id = ChannelId.New(),
        Kind = kind,
        Name = name.Trim(),
        Key = key ?? NewToken(16),
        Secret = NewToken(32),
        Enabled = true,
        Settings = (settings ?? []).ToJsonString(),
        BranchId = branchId,
        RegionId = regionId,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Update(string name, JsonObject? settings, bool enabled, BranchId? branchId, RegionId? regionId, DateTimeOffset now)
    {
        Name = name.Trim();
        if (settings is not null)
        {
            Settings = settings.ToJsonString();
        }

        Enabled = enabled;
        BranchId = branchId;
        RegionId = regionId;
        UpdatedAt = now;
    }

    public void RotateSecret(DateTimeOffset now)
    {
        Secret = NewToken(32);
        UpdatedAt = now;
    }

    private static string NewToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

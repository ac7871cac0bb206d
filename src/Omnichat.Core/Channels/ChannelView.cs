using System.Text.Json.Nodes;

namespace Omnichat.Core.Channels;

/// <summary>
/// A channel as administrators see it. The secret is shown once — in the response that created or
/// rotated it — and is null everywhere else.
/// </summary>
public sealed record ChannelView(
    Guid Id, ChannelKind Kind, string Name, string Key, string? Secret, bool Enabled, JsonObject Settings,
    Guid? BranchId, Guid? RegionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ChannelView From(Channel c) => From(c, showSecret: false);

    public static ChannelView From(Channel c, bool showSecret) => new(
        c.Id.Value, c.Kind, c.Name, c.Key, showSecret ? c.Secret : null, c.Enabled, ChannelSecrets.Mask(JsonNode.Parse(c.Settings)?.AsObject() ?? []),
        c.BranchId?.Value, c.RegionId?.Value, c.CreatedAt, c.UpdatedAt);
}

/// <summary>
/// Messenger credentials in settings (<c>botToken</c>, <c>authToken</c>, <c>accessToken</c>, <c>confirmationCode</c>…: names
/// ending in Token, Code or Secret) are never shown back: views carry "••••" and the last four characters, and an
/// update that sends the masked value back keeps the stored one.
/// </summary>
public static class ChannelSecrets
{
    public const string MaskPrefix = "••••";

    public static bool IsSecretName(string name) =>
        name.EndsWith("Token", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Code", StringComparison.OrdinalIgnoreCase);

    public static JsonObject Mask(JsonObject settings)
    {
        foreach (var (name, value) in settings.ToList())
        {
            if (IsSecretName(name) && value is JsonValue v && v.TryGetValue<string>(out var secret) && secret.Length > 0)
            {
                settings[name] = MaskPrefix + (secret.Length > 8 ? secret[^4..] : "");
            }
        }

        return settings;
    }

    /// <summary>Puts the stored secret back where an update echoes the masked value.</summary>
    public static JsonObject Restore(JsonObject incoming, string storedSettings)
    {
        var stored = JsonNode.Parse(storedSettings)?.AsObject() ?? [];
        foreach (var (name, value) in incoming.ToList())
        {
            if (IsSecretName(name) && value is JsonValue v && v.TryGetValue<string>(out var given) && given.StartsWith(MaskPrefix, StringComparison.Ordinal)
                && stored.TryGetPropertyValue(name, out var old))
            {
                incoming[name] = old?.DeepClone();
            }
        }

        return incoming;
    }
}

internal static class ChannelRules
{
    public static bool SettingsFit(JsonObject? settings) =>
        settings is null || settings.ToJsonString().Length <= Channel.MaxSettingsLength;
}

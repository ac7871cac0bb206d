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
        c.Id.Value, c.Kind, c.Name, c.Key, showSecret ? c.Secret : null, c.Enabled, JsonNode.Parse(c.Settings)?.AsObject() ?? [],
        c.BranchId?.Value, c.RegionId?.Value, c.CreatedAt, c.UpdatedAt);
}

internal static class ChannelRules
{
    public static bool SettingsFit(JsonObject? settings) =>
        settings is null || settings.ToJsonString().Length <= Channel.MaxSettingsLength;
}

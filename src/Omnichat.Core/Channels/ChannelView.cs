using System.Text.Json.Nodes;

namespace Omnichat.Core.Channels;

/// <summary>A channel as administrators see it (includes the secret; never shown to other roles).</summary>
public sealed record ChannelView(
    Guid Id, ChannelKind Kind, string Name, string Key, string Secret, bool Enabled, JsonObject Settings,
    Guid? BranchId, Guid? RegionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ChannelView From(Channel c) => new(
        c.Id.Value, c.Kind, c.Name, c.Key, c.Secret, c.Enabled, JsonNode.Parse(c.Settings)?.AsObject() ?? [],
        c.BranchId?.Value, c.RegionId?.Value, c.CreatedAt, c.UpdatedAt);
}

internal static class ChannelRules
{
    public static bool SettingsFit(JsonObject? settings) =>
        settings is null || settings.ToJsonString().Length <= Channel.MaxSettingsLength;
}

using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>
/// Selects the skill group (and priority) of a new conversation: the first rule, by position, whose
/// conditions all match wins. An empty condition matches anything. Without a matching rule the group
/// connected to the channel (and, most specifically, to the branch and region) is the default.
/// </summary>
public sealed class RoutingRule
{
    public const int MaxTopicLength = 200;

    private RoutingRule()
    {
    }

    public RoutingRuleId Id { get; private set; }

    public int Position { get; private set; }

    public ChannelId? ChannelId { get; private set; }

    public BranchId? BranchId { get; private set; }

    public RegionId? RegionId { get; private set; }

    /// <summary>The topic chosen in the pre-chat form or set by a bot (exact, case-insensitive).</summary>
    public string? Topic { get; private set; }

    public SkillGroupId SkillGroupId { get; private set; }

    public int Priority { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static RoutingRule Create(RoutingRuleValues values, DateTimeOffset now)
    {
        var rule = new RoutingRule { Id = RoutingRuleId.New() };
        rule.Update(values, now);
        return rule;
    }

    public void Update(RoutingRuleValues values, DateTimeOffset now)
    {
        Position = values.Position;
        ChannelId = values.ChannelId;
        BranchId = values.BranchId;
        RegionId = values.RegionId;
        Topic = string.IsNullOrWhiteSpace(values.Topic) ? null : values.Topic.Trim();
        SkillGroupId = values.SkillGroupId;
        Priority = values.Priority;
        UpdatedAt = now;
    }

    public bool Matches(ChannelId channel, BranchId? branch, RegionId? region, string? topic) =>
        (ChannelId is null || ChannelId == channel)
        && (BranchId is null || BranchId == branch)
        && (RegionId is null || RegionId == region)
        && (Topic is null || string.Equals(Topic, topic?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed record RoutingRuleValues(int Position, ChannelId? ChannelId, BranchId? BranchId, RegionId? RegionId, string? Topic, SkillGroupId SkillGroupId, int Priority);

public sealed record RoutingRuleView(Guid Id, int Position, Guid? ChannelId, Guid? BranchId, Guid? RegionId, string? Topic, Guid SkillGroupId, int Priority, DateTimeOffset UpdatedAt)
{
    public static RoutingRuleView From(RoutingRule r) => new(
        r.Id.Value, r.Position, r.ChannelId?.Value, r.BranchId?.Value, r.RegionId?.Value, r.Topic, r.SkillGroupId.Value, r.Priority, r.UpdatedAt);
}

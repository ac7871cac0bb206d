namespace Omnichat.Core.Routing;

public sealed record SkillGroupView(
    Guid Id, string Name, IReadOnlyList<Guid> ChannelIds, IReadOnlyList<Guid> BranchIds, IReadOnlyList<Guid> RegionIds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    RoutingStrategy Strategy, bool AutoAccept, int OfferTimeoutSeconds, bool MissedOfferSetsNotReady, int WrapUpSeconds, int MinSkillLevel,
    int? OverflowAfterSeconds, IReadOnlyList<Guid> BackupGroupIds, int? MaxQueueSeconds, MaxQueueAction MaxQueueAction, Guid? MaxQueueTargetGroupId,
    string? OfflineMessage, int StickyMinutes, int DefaultCapacity, IReadOnlyList<string>? ResolutionCodes = null, bool ResolutionRequired = false,
    int ServiceLevelSeconds = 20, int ShortAbandonSeconds = 5)
{
    public static SkillGroupView From(SkillGroup g) => new(
        g.Id.Value, g.Name,
        g.Channels.Select(c => c.ChannelId.Value).Order().ToList(),
        g.Branches.Select(b => b.BranchId.Value).Order().ToList(),
        g.Regions.Select(r => r.RegionId.Value).Order().ToList(),
        g.CreatedAt, g.UpdatedAt,
        g.Strategy, g.AutoAccept, g.OfferTimeoutSeconds, g.MissedOfferSetsNotReady, g.WrapUpSeconds, g.MinSkillLevel, g.OverflowAfterSeconds,
        g.Backups.OrderBy(b => b.Position).Select(b => b.BackupGroupId.Value).ToList(), g.MaxQueueSeconds, g.MaxQueueAction, g.MaxQueueTargetGroupId?.Value,
        g.OfflineMessage, g.StickyMinutes, g.DefaultCapacity, g.ResolutionCodes, g.ResolutionRequired, g.ServiceLevelSeconds, g.ShortAbandonSeconds);
}

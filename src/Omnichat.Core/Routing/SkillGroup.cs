using Omnichat.Core.Kernel;

namespace Omnichat.Core.Routing;

/// <summary>How a group hands its queued conversations to operators (PRODUCT R3).</summary>
public enum RoutingStrategy
{
    /// <summary>Fewest active conversations first; ties go to the operator who was assigned work longest ago.</summary>
    LeastBusy,

    /// <summary>The operator idle (no conversations) the longest first, then the least busy.</summary>
    LongestIdle,

    /// <summary>Members in turn: the one who got this group's last conversation longest ago first.</summary>
    RoundRobin,

    /// <summary>Nothing is assigned automatically: operators pick conversations from the queue view.</summary>
    Manual,
}

/// <summary>What happens to a conversation that waited longer than the group's maximum queue time.</summary>
public enum MaxQueueAction
{
    KeepWaiting,
    MoveToGroup,
    OfflineMessage,
}

/// <summary>
/// A skill group receives the conversations of its connected channels, branches and regions (and of
/// routing rules that name it) and routes them to its members by its strategy and settings.
/// </summary>
public sealed class SkillGroup
{
    public const int MaxNameLength = 200;
    public const int MaxOfflineMessageLength = 1000;

    private SkillGroup()
    {
    }

    public SkillGroupId Id { get; private set; }

    public string Name { get; private set; } = "";

    public List<SkillGroupChannel> Channels { get; private set; } = [];

    public List<SkillGroupBranch> Branches { get; private set; } = [];

    public List<SkillGroupRegion> Regions { get; private set; } = [];

    public RoutingStrategy Strategy { get; private set; }

    /// <summary>Assignments are final at once (default); otherwise an offer must be accepted within <see cref="OfferTimeoutSeconds"/>.</summary>
    public bool AutoAccept { get; private set; } = true;

    public int OfferTimeoutSeconds { get; private set; } = 30;

    /// <summary>An operator who lets an offer expire is set not-ready (reason <c>missed-offer</c>).</summary>
    public bool MissedOfferSetsNotReady { get; private set; }

    /// <summary>After closing a conversation of this group the operator gets no new work for this long.</summary>
    public int WrapUpSeconds { get; private set; }

    /// <summary>Members below this level get the group's conversations only after overflow.</summary>
    public int MinSkillLevel { get; private set; } = 1;

    /// <summary>After this long in the queue a conversation is also offered to backup groups and lower levels; null = never.</summary>
    public int? OverflowAfterSeconds { get; private set; }

    /// <summary>Backup groups in order of preference (overflow targets).</summary>
    public List<SkillGroupBackup> Backups { get; private set; } = [];

    public int? MaxQueueSeconds { get; private set; }

    public MaxQueueAction MaxQueueAction { get; private set; }

    public SkillGroupId? MaxQueueTargetGroupId { get; private set; }

    /// <summary>Text sent to the client when <see cref="MaxQueueAction.OfflineMessage"/> applies; null = the built-in text.</summary>
    public string? OfflineMessage { get; private set; }

    /// <summary>A returning client goes to their last operator if that operator is free, within this many minutes; 0 = off.</summary>
    public int StickyMinutes { get; private set; }

    /// <summary>Capacity given to operators who join the group without one of their own.</summary>
    public int DefaultCapacity { get; private set; } = 3;

    /// <summary>Resolution codes an operator picks from when closing (PRODUCT W1); empty = free text or none.</summary>
    public List<string> ResolutionCodes { get; private set; } = [];

    /// <summary>Closing needs one of <see cref="ResolutionCodes"/>.</summary>
    public bool ResolutionRequired { get; private set; }

    /// <summary>Service level threshold T (seconds): answered within T counts as in service level (PRODUCT "Definitions").</summary>
    public int ServiceLevelSeconds { get; private set; } = 20;

    /// <summary>A client who leaves the queue within this many seconds is a short abandon.</summary>
    public int ShortAbandonSeconds { get; private set; } = 5;

    /// <summary>Sets the reporting thresholds (validated by the use case).</summary>
    public void SetReportingThresholds(int serviceLevelSeconds, int shortAbandonSeconds, DateTimeOffset now)
    {
        ServiceLevelSeconds = serviceLevelSeconds;
        ShortAbandonSeconds = shortAbandonSeconds;
        UpdatedAt = now;
    }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public const int MaxResolutionCodes = 50;
    public const int MaxResolutionCodeLength = 100;

    /// <summary>Sets the closing rules (codes are trimmed and de-duplicated, case-insensitively).</summary>
    public void SetResolutionCodes(IEnumerable<string> codes, bool required, DateTimeOffset now)
    {
        ResolutionCodes = codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        ResolutionRequired = required && ResolutionCodes.Count > 0;
        UpdatedAt = now;
    }

    /// <summary>Replaces the routing settings (already validated by the use case).</summary>
    public void Configure(GroupRoutingSettings s, DateTimeOffset now)
    {
        Strategy = s.Strategy;
        AutoAccept = s.AutoAccept;
        OfferTimeoutSeconds = s.OfferTimeoutSeconds;
        MissedOfferSetsNotReady = s.MissedOfferSetsNotReady;
        WrapUpSeconds = s.WrapUpSeconds;
        MinSkillLevel = s.MinSkillLevel;
        OverflowAfterSeconds = s.OverflowAfterSeconds;
        MaxQueueSeconds = s.MaxQueueSeconds;
        MaxQueueAction = s.MaxQueueAction;
        MaxQueueTargetGroupId = s.MaxQueueTargetGroupId;
        OfflineMessage = s.OfflineMessage;
        StickyMinutes = s.StickyMinutes;
        DefaultCapacity = s.DefaultCapacity;
        var wanted = s.BackupGroupIds.Distinct().Where(b => b != Id).ToList();
        Backups.RemoveAll(b => !wanted.Contains(b.BackupGroupId));
        for (var i = 0; i < wanted.Count; i++)
        {
            var existing = Backups.Find(b => b.BackupGroupId == wanted[i]);
            if (existing is null)
            {
                Backups.Add(new SkillGroupBackup { SkillGroupId = Id, BackupGroupId = wanted[i], Position = i });
            }
            else
            {
                existing.Position = i;
            }
        }

        UpdatedAt = now;
    }

    public GroupRoutingSettings Settings => new(
        Strategy, AutoAccept, OfferTimeoutSeconds, MissedOfferSetsNotReady, WrapUpSeconds, MinSkillLevel, OverflowAfterSeconds,
        Backups.OrderBy(b => b.Position).Select(b => b.BackupGroupId).ToList(), MaxQueueSeconds, MaxQueueAction, MaxQueueTargetGroupId,
        OfflineMessage, StickyMinutes, DefaultCapacity);

    public static SkillGroup Create(string name, IEnumerable<ChannelId> channels, IEnumerable<BranchId> branches, IEnumerable<RegionId> regions, DateTimeOffset now)
    {
        var group = new SkillGroup { Id = SkillGroupId.New(), Name = name.Trim(), CreatedAt = now, UpdatedAt = now };
        group.Connect(channels, branches, regions);
        return group;
    }

    public void Update(string name, IEnumerable<ChannelId> channels, IEnumerable<BranchId> branches, IEnumerable<RegionId> regions, DateTimeOffset now)
    {
        Name = name.Trim();
        Connect(channels, branches, regions);
        UpdatedAt = now;
    }

    private void Connect(IEnumerable<ChannelId> channels, IEnumerable<BranchId> branches, IEnumerable<RegionId> regions)
    {
        Sync(Channels, channels.Distinct().ToList(), l => l.ChannelId, id => new SkillGroupChannel { SkillGroupId = Id, ChannelId = id });
        Sync(Branches, branches.Distinct().ToList(), l => l.BranchId, id => new SkillGroupBranch { SkillGroupId = Id, BranchId = id });
        Sync(Regions, regions.Distinct().ToList(), l => l.RegionId, id => new SkillGroupRegion { SkillGroupId = Id, RegionId = id });
    }

    // Keeps unchanged link rows in place so EF issues only the inserts and deletes that changed.
    private static void Sync<TLink, TId>(List<TLink> links, List<TId> wanted, Func<TLink, TId> idOf, Func<TId, TLink> create)
    {
        links.RemoveAll(l => !wanted.Contains(idOf(l)));
        foreach (var id in wanted.Where(id => !links.Exists(l => EqualityComparer<TId>.Default.Equals(idOf(l), id))))
        {
            links.Add(create(id));
        }
    }
}

public sealed class SkillGroupChannel
{
    public SkillGroupId SkillGroupId { get; set; }

    public ChannelId ChannelId { get; set; }
}

public sealed class SkillGroupBranch
{
    public SkillGroupId SkillGroupId { get; set; }

    public BranchId BranchId { get; set; }
}

public sealed class SkillGroupRegion
{
    public SkillGroupId SkillGroupId { get; set; }

    public RegionId RegionId { get; set; }
}

/// <summary>A backup group of a skill group (overflow target), in order of preference.</summary>
public sealed class SkillGroupBackup
{
    public SkillGroupId SkillGroupId { get; set; }

    public SkillGroupId BackupGroupId { get; set; }

    public int Position { get; set; }
}

/// <summary>The routing settings of a skill group (defaults: least-busy, auto-accept, no overflow, no wrap-up).</summary>
public sealed record GroupRoutingSettings(
    RoutingStrategy Strategy = RoutingStrategy.LeastBusy,
    bool AutoAccept = true,
    int OfferTimeoutSeconds = 30,
    bool MissedOfferSetsNotReady = false,
    int WrapUpSeconds = 0,
    int MinSkillLevel = 1,
    int? OverflowAfterSeconds = null,
    IReadOnlyList<SkillGroupId> BackupGroupIds = null!,
    int? MaxQueueSeconds = null,
    MaxQueueAction MaxQueueAction = MaxQueueAction.KeepWaiting,
    SkillGroupId? MaxQueueTargetGroupId = null,
    string? OfflineMessage = null,
    int StickyMinutes = 0,
    int DefaultCapacity = 3)
{
    public IReadOnlyList<SkillGroupId> BackupGroupIds { get; init; } = BackupGroupIds ?? [];
}

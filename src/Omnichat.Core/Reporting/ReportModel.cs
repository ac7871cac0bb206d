using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>The dimensions a report row is cut by (null: none, e.g. a queue entry nobody answered has no operator).</summary>
public interface IReportDimensions
{
    long IntervalStart { get; }

    SkillGroupId? SkillGroupId { get; }

    ChannelId ChannelId { get; }

    OperatorId? OperatorId { get; }

    BranchId? BranchId { get; }

    RegionId? RegionId { get; }

    string Topic { get; }
}

/// <summary>
/// What one conversation adds to one interval row (its queue entries, handling segments and its own figures, each in
/// the interval it started in). Replaced whenever the conversation changes; the interval rows follow by the difference.
/// Also the way back from a report cell to the conversations behind it (drill-down).
/// </summary>
public sealed class ReportContribution : ReportCounters, IReportDimensions
{
    public long Id { get; set; }

    public ConversationId ConversationId { get; set; }

    /// <summary>Start of the 15-minute interval, Unix seconds (UTC).</summary>
    public long IntervalStart { get; set; }

    public SkillGroupId? SkillGroupId { get; set; }

    public ChannelId ChannelId { get; set; }

    public OperatorId? OperatorId { get; set; }

    public BranchId? BranchId { get; set; }

    public RegionId? RegionId { get; set; }

    /// <summary>The conversation's topic ("" when none).</summary>
    public string Topic { get; set; } = "";

    public bool SameKey(IReportDimensions o) =>
        IntervalStart == o.IntervalStart && SkillGroupId == o.SkillGroupId && ChannelId == o.ChannelId && OperatorId == o.OperatorId
        && BranchId == o.BranchId && RegionId == o.RegionId && Topic == o.Topic;
}

/// <summary>The 15-minute roll-up every historical report reads: the sum of the contributions with the same key.</summary>
public sealed class ReportInterval : ReportCounters, IReportDimensions
{
    public long Id { get; set; }

    public long IntervalStart { get; set; }

    public SkillGroupId? SkillGroupId { get; set; }

    public ChannelId ChannelId { get; set; }

    public OperatorId? OperatorId { get; set; }

    public BranchId? BranchId { get; set; }

    public RegionId? RegionId { get; set; }

    public string Topic { get; set; } = "";

    /// <summary>Optimistic concurrency: two nodes adding to one row cannot lose an update.</summary>
    public long Version { get; set; }
}

/// <summary>
/// The hourly roll-up by skill group and channel (the sum of an hour's <see cref="ReportInterval"/> rows with that group
/// and channel): reports whose filters and cut need no other dimension read it instead of the 15-minute rows — about
/// a hundred times fewer rows. Kept by <see cref="ReportHourRollup"/> from the interval rows; <see cref="IntervalStart"/> is the hour's start.
/// </summary>
public sealed class ReportHourGroup : ReportCounters
{
    public long Id { get; set; }

    /// <summary>Start of the hour, Unix seconds (UTC).</summary>
    public long IntervalStart { get; set; }

    public SkillGroupId? SkillGroupId { get; set; }

    public ChannelId ChannelId { get; set; }
}

/// <summary>The hourly roll-up by operator (null: no operator), for the operator reports without other filters.</summary>
public sealed class ReportHourOperator : ReportCounters
{
    public long Id { get; set; }

    /// <summary>Start of the hour, Unix seconds (UTC).</summary>
    public long IntervalStart { get; set; }

    public OperatorId? OperatorId { get; set; }
}

/// <summary>The hourly roll-up by branch and region, for the branch and region reports and filters.</summary>
public sealed class ReportHourBranch : ReportCounters
{
    public long Id { get; set; }

    /// <summary>Start of the hour, Unix seconds (UTC).</summary>
    public long IntervalStart { get; set; }

    public BranchId? BranchId { get; set; }

    public RegionId? RegionId { get; set; }
}

/// <summary>The hourly roll-up by topic, for the topic report and filter.</summary>
public sealed class ReportHourTopic : ReportCounters
{
    public long Id { get; set; }

    /// <summary>Start of the hour, Unix seconds (UTC).</summary>
    public long IntervalStart { get; set; }

    public string Topic { get; set; } = "";
}

/// <summary>
/// An hour whose interval rows changed since its hourly roll-up was computed. Reports read such hours from the
/// 15-minute rows; the reporting job computes the hour again and removes the mark — only if <see cref="Stamp"/> is
/// still what it read, so a change that lands meanwhile keeps the hour marked.
/// </summary>
public sealed class ReportDirtyHour
{
    public long HourStart { get; set; }

    public long Stamp { get; set; }
}

/// <summary>One row per conversation with its computed figures: the analysts' list and the per-conversation export.</summary>
public sealed class ReportConversation
{
    public ConversationId ConversationId { get; set; }

    public DateTimeOffset? FirstQueuedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>Time spent in queues, all entries together (seconds).</summary>
    public double? WaitSeconds { get; set; }

    public bool Abandoned { get; set; }

    public DateTimeOffset? FirstResponseAt { get; set; }

    public double? FirstResponseSeconds { get; set; }

    /// <summary>Handling time of the closed segments, wrap-up included (seconds).</summary>
    public double? HandleSeconds { get; set; }

    public double? ResolutionSeconds { get; set; }

    public int Transfers { get; set; }

    public int MissedOffers { get; set; }

    public int ClientMessages { get; set; }

    public int OperatorMessages { get; set; }

    public DateTimeOffset RefreshedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>An operator's work on a conversation, accepted → closed or transferred (open while EndedAt is null): occupancy, concurrency.</summary>
public sealed class ReportHandling
{
    public long Id { get; set; }

    public ConversationId ConversationId { get; set; }

    public OperatorId OperatorId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>An operator's time in one interval by state (ready, not-ready with its reason, offline, engaged, chats, available), milliseconds.</summary>
public sealed class ReportOperatorInterval
{
    public long Id { get; set; }

    public long IntervalStart { get; set; }

    public OperatorId OperatorId { get; set; }

    /// <summary><see cref="OperatorStates"/>.</summary>
    public string State { get; set; } = "";

    /// <summary>The not-ready reason ("" otherwise).</summary>
    public string Reason { get; set; } = "";

    public long Ms { get; set; }
}

public static class OperatorStates
{
    public const string Ready = "ready";
    public const string NotReady = "not-ready";
    public const string Offline = "offline";

    /// <summary>With at least one conversation.</summary>
    public const string Engaged = "engaged";

    /// <summary>Conversation-milliseconds (two chats for a minute = two minutes): concurrency = chats ÷ engaged.</summary>
    public const string Chats = "chats";

    /// <summary>Ready or engaged: occupancy = engaged ÷ available.</summary>
    public const string Available = "available";
}

/// <summary>An interval whose operator times must be computed again (a late change reached it).</summary>
public sealed class ReportDirtyInterval
{
    public long IntervalStart { get; set; }
}

/// <summary>Progress of the roll-up job (one row per job name).</summary>
public sealed class ReportJobState
{
    public string Name { get; set; } = "";

    public long Value { get; set; }
}

public static class Intervals
{
    public const int Seconds = 900;

    public static long StartOf(DateTimeOffset at)
    {
        var s = at.ToUnixTimeSeconds();
        return s - (((s % Seconds) + Seconds) % Seconds);
    }

    public static DateTimeOffset ToTime(long intervalStart) => DateTimeOffset.FromUnixTimeSeconds(intervalStart);
}

/// <summary>Per-group thresholds the metrics use.</summary>
public sealed record GroupThresholds(int ServiceLevelSeconds, int ShortAbandonSeconds, int WrapUpSeconds)
{
    public static GroupThresholds Default { get; } = new(20, 5, 0);
}

/// <summary>What a conversation is made of, as the metrics read it.</summary>
public sealed record ConversationInput(
    ConversationId Id, ChannelId ChannelId, SkillGroupId? SkillGroupId, OperatorId? OperatorId, BranchId? BranchId, RegionId? RegionId,
    string? Topic, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, int? Rating,
    IReadOnlyList<ConversationEvent> Events, IReadOnlyList<(MessageDirection Direction, ActorKind Author, DateTimeOffset At)> Messages);

public enum ExportStatus
{
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>A report or conversation export written in the background to a file (progress, then a download link).</summary>
public sealed class ReportExport
{
    public Guid Id { get; set; }

    /// <summary>The operator (or API key) who asked; only they download it.</summary>
    public Guid OwnerId { get; set; }

    /// <summary>The owner is an API key (its scope applies), not a person.</summary>
    public bool OwnerIsApiKey { get; set; }

    /// <summary>English column titles (else Russian).</summary>
    public bool English { get; set; }

    /// <summary>CSV field separator (',' or ';').</summary>
    public string Separator { get; set; } = ",";

    public string Report { get; set; } = "";

    public string Format { get; set; } = "";

    /// <summary>The report query as JSON (<see cref="ReportQuery"/>).</summary>
    public string Query { get; set; } = "";

    public ExportStatus Status { get; set; }

    public long Rows { get; set; }

    public long? TotalRows { get; set; }

    public string FileName { get; set; } = "";

    public long Size { get; set; }

    public string? Error { get; set; }

    public Guid? ScheduleId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A saved report with its filters, produced on a schedule (kept for download; e-mailed when an address is given).</summary>
public sealed class ReportSchedule
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public string Name { get; set; } = "";

    public string Report { get; set; } = "";

    public string Format { get; set; } = "";

    /// <summary>The filters as JSON (<see cref="ReportQuery"/> without the period).</summary>
    public string Query { get; set; } = "";

    /// <summary>The period each run covers, relative to the run: yesterday, last-7-days, last-week, last-month.</summary>
    public string Period { get; set; } = "";

    /// <summary>daily, weekly or monthly.</summary>
    public string Frequency { get; set; } = "";

    /// <summary>Local hour of day (report time zone) the run happens at.</summary>
    public int Hour { get; set; }

    public string? Email { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset NextRunAt { get; set; }

    public DateTimeOffset? LastRunAt { get; set; }

    public Guid? LastExportId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

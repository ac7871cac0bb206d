using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

public enum OperatorStatus
{
    Offline,
    Ready,
    NotReady,
}

/// <summary>A staff member as the product sees them: name, capacity, skill groups, status.</summary>
public sealed class Operator : AggregateRoot
{
    public const int MaxLoginLength = 64;
    public const int MaxDisplayNameLength = 200;
    public const int MaxCapacity = 100;
    public const int MinSkillLevel = 1;
    public const int MaxSkillLevel = 10;
    public const int MaxStatusReasonLength = 100;

    private Operator()
    {
    }

    public OperatorId Id { get; private set; }

    public string Login { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    /// <summary>Maximum number of concurrent conversations.</summary>
    public int Capacity { get; private set; }

    public bool Enabled { get; private set; }

    public OperatorStatus Status { get; private set; }

    public DateTimeOffset StatusSince { get; private set; }

    /// <summary>Why the operator is not ready (break, lunch, training…); null otherwise.</summary>
    public string? StatusReason { get; private set; }

    public List<OperatorSkillGroup> SkillGroups { get; private set; } = [];

    /// <summary>Conversations assigned to or offered to this operator now (kept with every change, checked against capacity).</summary>
    public int Load { get; private set; }

    /// <summary>Until then the operator finishes the last conversation's work and gets no new offers.</summary>
    public DateTimeOffset? WrapUpUntil { get; private set; }

    /// <summary>Since when the operator has had no conversation while ready; null while working.</summary>
    public DateTimeOffset? IdleSince { get; private set; }

    /// <summary>When work was last offered or assigned to the operator.</summary>
    public DateTimeOffset? LastAssignedAt { get; private set; }

    /// <summary>The workstation plays a tone for new offers and client messages.</summary>
    public bool NotifySound { get; private set; } = true;

    /// <summary>The workstation shows a browser notification for them while its tab is hidden.</summary>
    public bool NotifyDesktop { get; private set; } = true;

    public void SetNotifications(bool sound, bool desktop)
    {
        NotifySound = sound;
        NotifyDesktop = desktop;
    }

    /// <summary>Last sign of a live workstation connection; null = not tracked (no connection since the status was set).</summary>
    public DateTimeOffset? LastSeenAt { get; private set; }

    /// <summary>Status history (appended only; never loaded with the operator).</summary>
    public List<OperatorStatusChange> StatusChanges { get; private set; } = [];

    /// <summary>Optimistic concurrency token: every change of load or status bumps it, so two routers cannot both fill the last slot.</summary>
    public long Version { get; private set; }

    /// <summary>Derived state for screens and reports: offline, not-ready, wrap-up, busy (ready at capacity) or ready.</summary>
    public string StateAt(DateTimeOffset now) => Status switch
    {
        OperatorStatus.Offline => "offline",
        OperatorStatus.NotReady => "not-ready",
        _ when WrapUpUntil > now => "wrap-up",
        _ when Load >= Capacity => "busy",
        _ => "ready",
    };

    /// <summary>May get new work now (status, wrap-up and capacity).</summary>
    public bool CanTakeWork(DateTimeOffset now) => Enabled && Status == OperatorStatus.Ready && Load < Capacity && !(WrapUpUntil > now);

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Operator Create(OperatorId id, string login, string displayName, int capacity, IEnumerable<SkillGroupId> skillGroups, DateTimeOffset now) =>
        Create(id, login, displayName, capacity, skillGroups.Select(g => new SkillMembership(g, DefaultLevel)), now);

    public const int DefaultLevel = 5;

    public static Operator Create(OperatorId id, string login, string displayName, int capacity, IEnumerable<SkillMembership> skillGroups, DateTimeOffset now)
    {
        var op = new Operator
        {
            Id = id,
            Login = login,
            DisplayName = displayName.Trim(),
            Capacity = capacity,
            Enabled = true,
            Status = OperatorStatus.Offline,
            StatusSince = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        op.SetSkillGroups(skillGroups);
        return op;
    }

    public void Update(string displayName, int capacity, bool enabled, IEnumerable<SkillMembership> skillGroups, DateTimeOffset now)
    {
        DisplayName = displayName.Trim();
        Enabled = enabled;
        SetSkillGroups(skillGroups);
        UpdatedAt = now;
        if (capacity != Capacity)
        {
            Capacity = capacity;
            Version++;
            Raise(new OperatorCapacityChanged(Id, capacity));
        }
    }

    /// <summary>Takes one more conversation (offer or assignment). Over capacity only when <paramref name="force"/> (a supervisor's decision).</summary>
    public void Reserve(DateTimeOffset now, bool force = false)
    {
        if (!force && Load >= Capacity)
        {
            throw new ConflictException($"{DisplayName} is at capacity ({Load}/{Capacity}).", "operatorId");
        }

        Load++;
        LastAssignedAt = now;
        IdleSince = null;
        Version++;
    }

    /// <summary>Gives a conversation back (closed, transferred away, offer missed); optionally starts wrap-up.</summary>
    public void Release(DateTimeOffset now, TimeSpan wrapUp)
    {
        Load = Math.Max(0, Load - 1);
        if (wrapUp > TimeSpan.Zero)
        {
            var until = now + wrapUp;
            WrapUpUntil = WrapUpUntil > until ? WrapUpUntil : until;
        }
        else if (Load == 0 && !(WrapUpUntil > now))
        {
            IdleSince = now;
        }

        Version++;
        Raise(new OperatorCapacityFreed(Id));
    }

    /// <summary>Ends wrap-up (time is up, or the operator finished early).</summary>
    public void EndWrapUp(DateTimeOffset now)
    {
        if (WrapUpUntil is null)
        {
            return;
        }

        WrapUpUntil = null;
        if (Load == 0)
        {
            IdleSince = now;
        }

        Version++;
        Raise(new OperatorCapacityFreed(Id));
    }

    /// <summary>Records a sign of life from a live connection (null: stop tracking until the next connection).</summary>
    public void Seen(DateTimeOffset? at) => LastSeenAt = at;

    /// <summary>Changes the working status; a change is recorded as an event (reports and routing use it).</summary>
    public void SetStatus(OperatorStatus status, string? reason, DateTimeOffset now)
    {
        reason = status == OperatorStatus.NotReady ? reason?.Trim() : null;
        if (status == Status && reason == StatusReason)
        {
            return;
        }

        var previous = Status;
        Status = status;
        StatusReason = reason;
        StatusSince = now;
        UpdatedAt = now;
        if (status == OperatorStatus.Ready && Load == 0 && !(WrapUpUntil > now))
        {
            IdleSince = now;
        }

        Version++;
        StatusChanges.Add(new OperatorStatusChange { OperatorId = Id, Status = status, Reason = reason, At = now });
        Raise(new OperatorStatusChanged(Id, previous, status, reason, now));
    }

    private void SetSkillGroups(IEnumerable<SkillMembership> skillGroups)
    {
        var wanted = skillGroups.DistinctBy(m => m.SkillGroupId).ToList();
        SkillGroups.RemoveAll(m => !wanted.Exists(w => w.SkillGroupId == m.SkillGroupId));
        foreach (var w in wanted)
        {
            var existing = SkillGroups.Find(m => m.SkillGroupId == w.SkillGroupId);
            if (existing is null)
            {
                SkillGroups.Add(new OperatorSkillGroup { OperatorId = Id, SkillGroupId = w.SkillGroupId, Level = w.Level });
            }
            else
            {
                existing.Level = w.Level;
            }
        }
    }
}

/// <summary>A skill group membership with its level (1–10; higher is preferred).</summary>
public readonly record struct SkillMembership(SkillGroupId SkillGroupId, int Level);

/// <summary>One status change of an operator (reports and WFM build status periods from consecutive rows).</summary>
public sealed class OperatorStatusChange
{
    public long Id { get; set; }

    public OperatorId OperatorId { get; set; }

    public OperatorStatus Status { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>Membership of an operator in a skill group, with a skill level (1–10).</summary>
public sealed class OperatorSkillGroup
{
    public OperatorId OperatorId { get; set; }

    public SkillGroupId SkillGroupId { get; set; }

    public int Level { get; set; }

    /// <summary>When this group last gave the operator a conversation (round-robin order).</summary>
    public DateTimeOffset? LastAssignedAt { get; set; }
}

public sealed record OperatorStatusChanged(OperatorId OperatorId, OperatorStatus Previous, OperatorStatus Status, string? Reason, DateTimeOffset? At = null) : IDomainEvent
{
    public string StreamKey => "operator:" + OperatorId;
}

/// <summary>The operator can take more work (a conversation left them or wrap-up ended).</summary>
public sealed record OperatorCapacityFreed(OperatorId OperatorId) : IDomainEvent
{
    public string StreamKey => "operator:" + OperatorId;
}

public sealed record OperatorCapacityChanged(OperatorId OperatorId, int Capacity) : IDomainEvent
{
    public string StreamKey => "operator:" + OperatorId;
}

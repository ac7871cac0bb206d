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

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Operator Create(OperatorId id, string login, string displayName, int capacity, IEnumerable<SkillGroupId> skillGroups, DateTimeOffset now)
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

    public void Update(string displayName, int capacity, bool enabled, IEnumerable<SkillGroupId> skillGroups, DateTimeOffset now)
    {
        DisplayName = displayName.Trim();
        Capacity = capacity;
        Enabled = enabled;
        SetSkillGroups(skillGroups);
        UpdatedAt = now;
    }

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
        Raise(new OperatorStatusChanged(Id, previous, status, reason));
    }

    private void SetSkillGroups(IEnumerable<SkillGroupId> skillGroups)
    {
        var wanted = skillGroups.Distinct().ToList();
        SkillGroups.RemoveAll(m => !wanted.Contains(m.SkillGroupId));
        foreach (var id in wanted.Where(id => !SkillGroups.Exists(m => m.SkillGroupId == id)))
        {
            SkillGroups.Add(new OperatorSkillGroup { OperatorId = Id, SkillGroupId = id, Level = 5 });
        }
    }
}

/// <summary>Membership of an operator in a skill group, with a skill level (1–10).</summary>
public sealed class OperatorSkillGroup
{
    public OperatorId OperatorId { get; set; }

    public SkillGroupId SkillGroupId { get; set; }

    public int Level { get; set; }
}

public sealed record OperatorStatusChanged(OperatorId OperatorId, OperatorStatus Previous, OperatorStatus Status, string? Reason) : IDomainEvent
{
    public string StreamKey => "operator:" + OperatorId;
}

using Omnichat.Core.Kernel;

namespace Omnichat.Core.Organisation;

/// <summary>A macro-regional branch (МРФ) of the organisation; data visibility follows branches.</summary>
public sealed class Branch
{
    public const int MaxNameLength = 200;
    public const int MaxTimeZoneLength = 64;

    private Branch()
    {
    }

    public BranchId Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>IANA time zone people of this branch see times in by default.</summary>
    public string TimeZone { get; private set; } = "UTC";

    public DateTimeOffset CreatedAt { get; private set; }

    public static Branch Create(string name, string timeZone, DateTimeOffset now) =>
        new() { Id = BranchId.New(), Name = name.Trim(), TimeZone = timeZone, CreatedAt = now };

    public void Update(string name, string timeZone)
    {
        Name = name.Trim();
        TimeZone = timeZone;
    }
}

using Omnichat.Core.Kernel;

namespace Omnichat.Core.Organisation;

/// <summary>A region, optionally inside a branch.</summary>
public sealed class Region
{
    public const int MaxNameLength = 200;

    private Region()
    {
    }

    public RegionId Id { get; private set; }

    public string Name { get; private set; } = "";

    public BranchId? BranchId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Region Create(string name, BranchId? branchId, DateTimeOffset now) =>
        new() { Id = RegionId.New(), Name = name.Trim(), BranchId = branchId, CreatedAt = now };

    public void Update(string name, BranchId? branchId)
    {
        Name = name.Trim();
        BranchId = branchId;
    }
}

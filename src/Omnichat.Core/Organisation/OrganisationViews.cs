namespace Omnichat.Core.Organisation;

public sealed record BranchView(Guid Id, string Name, string TimeZone, DateTimeOffset CreatedAt)
{
    public static BranchView From(Branch b) => new(b.Id.Value, b.Name, b.TimeZone, b.CreatedAt);
}

public sealed record RegionView(Guid Id, string Name, Guid? BranchId, DateTimeOffset CreatedAt)
{
    public static RegionView From(Region r) => new(r.Id.Value, r.Name, r.BranchId?.Value, r.CreatedAt);
}

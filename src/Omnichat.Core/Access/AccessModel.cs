using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Omnichat.Core.Access;

internal sealed class StaffVisibilityConfiguration : IEntityTypeConfiguration<StaffVisibility>
{
    public void Configure(EntityTypeBuilder<StaffVisibility> b)
    {
        b.ToTable("staff_visibility");
        b.HasKey(x => x.OwnerId);
        b.PrimitiveCollection(x => x.SkillGroupIds);
        b.PrimitiveCollection(x => x.BranchIds);
        b.PrimitiveCollection(x => x.RegionIds);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(x => x.Name).HasMaxLength(ApiKey.MaxNameLength);
        b.Property(x => x.Prefix).HasMaxLength(16);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.PrimitiveCollection(x => x.Scopes);
        b.HasIndex(x => x.Prefix).IsUnique();
    }
}

internal sealed class StaffSessionConfiguration : IEntityTypeConfiguration<StaffSession>
{
    public void Configure(EntityTypeBuilder<StaffSession> b)
    {
        b.ToTable("staff_sessions");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.UserAgent).HasMaxLength(StaffSession.MaxUserAgentLength);
        b.Property(x => x.IpAddress).HasMaxLength(StaffSession.MaxAddressLength);
        b.HasIndex(x => new { x.OperatorId, x.EndedAt });
    }
}

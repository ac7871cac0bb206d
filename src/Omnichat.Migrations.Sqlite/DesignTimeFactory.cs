using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Omnichat.Core.Kernel;

namespace Omnichat.Migrations.Sqlite;

/// <summary>Used only by `dotnet ef migrations add`; the running server configures the context itself.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<OmnichatDbContext>
{
    public OmnichatDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<OmnichatDbContext>();
        DatabaseRegistration.Configure(options, DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new OmnichatDbContext(options.Options);
    }
}

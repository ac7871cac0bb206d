using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Server.Hosting;

public static class StaffAuthentication
{
    public const string AdminPolicy = "admin";

    /// <summary>Identity accounts, bearer tokens for the API, data-protection keys in the database.</summary>
    public static WebApplicationBuilder AddStaffAuthentication(this WebApplicationBuilder builder)
    {
        var auth = builder.Omnichat().Auth;
        builder.Services.AddDataProtection().SetApplicationName("Omnichat").PersistKeysToDbContext<OmnichatDbContext>();
        builder.Services.AddAuthentication(IdentityConstants.BearerScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = auth.AccessTokenLifetime);
        builder.Services.AddStaffIdentity(auth);
        // Policies name no scheme on purpose: naming one makes authorization re-authenticate and
        // would undo RevokedTokenMiddleware. The default scheme (bearer) authenticates every request.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Administrator));
        return builder;
    }

    public static OperatorId OperatorIdOf(System.Security.Claims.ClaimsPrincipal user) =>
        OperatorId.From(Guid.Parse(user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value));
}

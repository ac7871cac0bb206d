using Microsoft.AspNetCore.Authorization;
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
        builder.Services.AddScoped<IAuthorizationHandler, ActiveAccountHandler>();
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser().AddRequirements(new ActiveAccountRequirement()).Build())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser().AddRequirements(new ActiveAccountRequirement())
                .RequireRole(StaffRoles.Administrator));
        return builder;
    }

    public static OperatorId OperatorIdOf(System.Security.Claims.ClaimsPrincipal user) =>
        OperatorId.From(Guid.Parse(user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value));
}

/// <summary>A token is honoured only while its security stamp is current (disabling or password change revokes it).</summary>
public sealed class ActiveAccountRequirement : IAuthorizationRequirement;

public sealed class ActiveAccountHandler(SignInManager<StaffUser> signIn) : AuthorizationHandler<ActiveAccountRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActiveAccountRequirement requirement)
    {
        if (await signIn.ValidateSecurityStampAsync(context.User) is not null)
        {
            context.Succeed(requirement);
        }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Hosting;

/// <summary>
/// Permission checks for endpoints, hub methods and pages. A policy named <c>perm:a|b</c> passes when the
/// caller (staff member or API key) has permission a or b; <c>account</c> passes for a signed-in staff member
/// (their own account pages: sessions, two-factor), never for an API key.
/// </summary>
public static class PermissionPolicies
{
    public const string Prefix = PermissionPolicy.Prefix;
    public const string Account = PermissionPolicy.Account;

    public static string Of(params string[] permissions) => Prefix + string.Join('|', permissions);

    /// <summary>Requires one of the permissions (the authorization matrix test reads them from the endpoint's metadata).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, params string[] permissions) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Of(permissions));
}

public sealed record PermissionRequirement(IReadOnlyList<string> Permissions) : IAuthorizationRequirement;

public sealed record StaffAccountRequirement : IAuthorizationRequirement;

/// <summary>Builds <c>perm:</c> policies on demand; everything else goes to the configured policies.</summary>
public sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName.StartsWith(PermissionPolicies.Prefix, StringComparison.Ordinal))
        {
            var permissions = policyName[PermissionPolicies.Prefix.Length..].Split('|');
            if (permissions.Any(p => !Permissions.Described.ContainsKey(p)))
            {
                throw new InvalidOperationException($"Unknown permission in policy '{policyName}'.");
            }

            return new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permissions)).Build();
        }

        if (policyName == PermissionPolicies.Account)
        {
            return new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new StaffAccountRequirement()).Build();
        }

        return await base.GetPolicyAsync(policyName);
    }
}

/// <summary>
/// Resolves the caller's <see cref="StaffScope"/> (roles → permissions, from the database, so a changed role applies at
/// once) — in an HTTP request on the request's own context, which also installs the data boundary there.
/// </summary>
public sealed class PermissionHandler(IServiceScopeFactory scopes) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var pending = context.PendingRequirements.ToList();
        if (pending.Count == 0 || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        foreach (var account in pending.OfType<StaffAccountRequirement>())
        {
            if (context.User.FindFirst(StaffScope.ApiKeyClaim) is null && context.User.FindFirst(StaffSession.Claim) is not null)
            {
                context.Succeed(account);
            }
        }

        var required = pending.OfType<PermissionRequirement>().ToList();
        if (required.Count == 0 || !IsStaff(context.User))
        {
            return;
        }

        var scope = await ResolveAsync(context);
        foreach (var r in required.Where(r => r.Permissions.Any(scope.Has)))
        {
            context.Succeed(r);
        }
    }

    private static bool IsStaff(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(StaffScope.ApiKeyClaim) is not null || user.FindFirst(StaffSession.Claim) is not null;

    private async Task<StaffScope> ResolveAsync(AuthorizationHandlerContext context)
    {
        var http = context.Resource as HttpContext;
        if (http is not null && !http.WebSockets.IsWebSocketRequest)
        {
            return await StaffScope.ForAsync(http.RequestServices.GetRequiredService<OmnichatDbContext>(), context.User, http.RequestAborted);
        }

        // Hub calls and Blazor pages: a short scope of their own (a connection's or circuit's context lives long).
        await using var scope = scopes.CreateAsyncScope();
        return await StaffScope.ForAsync(scope.ServiceProvider.GetRequiredService<OmnichatDbContext>(), context.User, CancellationToken.None);
    }
}

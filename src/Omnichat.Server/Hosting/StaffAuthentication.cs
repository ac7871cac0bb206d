using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Hosting;

public static class StaffAuthentication
{
    /// <summary>Default scheme: forwards to bearer (API) or cookie (UI).</summary>
    public const string StaffScheme = "staff";

    /// <summary>Identity accounts, bearer tokens for the API, data-protection keys in the database.</summary>
    public static WebApplicationBuilder AddStaffAuthentication(this WebApplicationBuilder builder)
    {
        var auth = builder.Omnichat().Auth;
        builder.Services.AddDataProtection().SetApplicationName("Omnichat").PersistKeysToDbContext<OmnichatDbContext>();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = StaffScheme;
                o.DefaultChallengeScheme = StaffScheme;
            })
            // The REST API (and API tools on /hubs/staff) use bearer tokens only, so a browser cookie can
            // never be ridden into an API call (no CSRF); the UI uses the Identity cookie.
            .AddPolicyScheme(StaffScheme, "Staff", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.Presented(http.Request) ? ApiKeyAuthenticationHandler.SchemeName
                : http.Request.Path.StartsWithSegments("/api")
                || http.Request.Headers.Authorization.Count > 0
                || http.Request.Query.ContainsKey("access_token")
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = auth.AccessTokenLifetime)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.Cookie.Name = "omnichat.staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = auth.AccessTokenLifetime;
                o.SlidingExpiration = true;
            }));
        builder.Services.AddStaffIdentity(auth);
        // Policies name no scheme on purpose: naming one makes authorization re-authenticate and
        // would undo RevokedTokenMiddleware. The default scheme authenticates every request.
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        builder.Services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        builder.AddSingleSignOn();
        return builder;
    }

    public static OperatorId OperatorIdOf(System.Security.Claims.ClaimsPrincipal user) =>
        OperatorId.From(Guid.Parse(user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value));
}

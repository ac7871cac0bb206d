using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Server.Hosting;

/// <summary>
/// Optional OpenID Connect single sign-on for staff (<c>Omnichat:Auth:SingleSignOn</c>): the sign-in page offers the
/// provider; its answer (authorization code + PKCE, signed ID token) is matched to an existing, enabled staff account
/// by e-mail or login and starts an ordinary browser session (audited, listed among the sessions).
/// </summary>
public static partial class SingleSignOn
{
    public const string Scheme = "oidc";
    public const string StartPath = "/account/sso";
    public const string CallbackPath = "/account/sso/callback";
    public const string CompletePath = "/account/sso/complete";

    private static readonly string[] Scopes = ["openid", "profile", "email"];

    public static WebApplicationBuilder AddSingleSignOn(this WebApplicationBuilder builder)
    {
        // Browser sessions keep their session id when Identity refreshes the cookie's principal.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = ctx =>
        {
            if (ctx.CurrentPrincipal?.FindFirst(StaffSession.Claim) is { } sid && ctx.NewPrincipal?.Identity is ClaimsIdentity identity)
            {
                identity.AddClaim(new Claim(StaffSession.Claim, sid.Value));
            }

            return Task.CompletedTask;
        });
        var sso = builder.Omnichat().Auth.SingleSignOn;
        if (!sso.Enabled)
        {
            return builder;
        }

        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, sso.DisplayName, o =>
        {
            o.Authority = sso.Authority;
            o.ClientId = sso.ClientId;
            o.ClientSecret = sso.ClientSecret;
            o.ResponseType = "code";
            o.ResponseMode = "query";
            o.UsePkce = true;
            o.RequireHttpsMetadata = sso.RequireHttps;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.CallbackPath = CallbackPath;
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            // A refused or forged answer (bad signature, wrong issuer or audience, replayed code) is a failed sign-in, not an error page.
            o.Events.OnRemoteFailure = ctx =>
            {
                LogRemoteFailure(ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOn)), ctx.Failure?.Message ?? "");
                ctx.Response.Redirect("/account/login?error=sso");
                ctx.HandleResponse();
                return Task.CompletedTask;
            };
            o.Scope.Clear();
            foreach (var scope in Scopes)
            {
                o.Scope.Add(scope);
            }
        });
        return builder;
    }

    public static WebApplication MapSingleSignOn(this WebApplication app)
    {
        app.MapGet(StartPath, (string? returnUrl, IOptions<OmnichatOptions> options) =>
            options.Value.Auth.SingleSignOn.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = CompletePath + "?returnUrl=" + Uri.EscapeDataString(LocalOnly(returnUrl)) },
                    [Scheme])
                : Results.NotFound()).AllowAnonymous().ExcludeFromDescription();

        app.MapGet(CompletePath, async (HttpContext http, string? returnUrl, SignInManager<StaffUser> signIn, StaffSignIn.Handler sessions,
            OmnichatDbContext db, IOptions<OmnichatOptions> options) =>
        {
            var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            if (!external.Succeeded || external.Principal is null)
            {
                return Results.LocalRedirect("/account/login?error=sso");
            }

            var match = options.Value.Auth.SingleSignOn.MatchClaim;
            var value = external.Principal.FindFirstValue(match);
            var user = string.IsNullOrWhiteSpace(value) ? null
                : match == "email"
                    ? await signIn.UserManager.FindByEmailAsync(value)
                    : await signIn.UserManager.FindByNameAsync(value);
            var enabled = user is not null && await db.Operators.AnyAsync(o => o.Id == OperatorId.From(user.Id) && o.Enabled, http.RequestAborted);
            if (user is null || !enabled)
            {
                await sessions.RecordFailureAsync(user, value ?? "(no " + match + ")",
                    user is null ? "single sign-on: no staff account matches" : "single sign-on: account disabled",
                    new { method = "oidc", issuer = external.Principal.FindFirstValue("iss"), ip = http.Connection.RemoteIpAddress?.ToString() }, http.RequestAborted);
                return Results.LocalRedirect("/account/login?error=sso");
            }

            var (_, session) = await sessions.StartAsync(user, StaffSessionKind.SingleSignOn, http.Request.Headers.UserAgent.ToString(),
                http.Connection.RemoteIpAddress?.ToString(), "oidc", http.RequestAborted);
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(StaffSession.Claim, session.Id.Value.ToString())]);
            return Results.LocalRedirect(LocalOnly(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Only local paths: an open redirect would send staff to a look-alike site.</summary>
    public static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal)
            ? r
            : "/workstation";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refused: {Reason}")]
    private static partial void LogRemoteFailure(ILogger logger, string reason);

}

using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using MudBlazor.Services;
using Omnichat.Core.Operators;
using Omnichat.Web;
using Omnichat.Web.Admin;
using Omnichat.Web.Workstation;

namespace Omnichat.Server.Hosting;

/// <summary>The Blazor UI (operator workstation, administration console): interactive server rendering, MudBlazor, ru/en.</summary>
public static class WorkstationSetup
{
    public static readonly string[] Cultures = ["ru", "en"];

    public static WebApplicationBuilder AddWorkstation(this WebApplicationBuilder builder)
    {
        // A built (not published) server started outside Development still finds the assets of MudBlazor and
        // Omnichat.Web through the build's manifest; in a published app the files are in wwwroot and this is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<WorkstationData>();
        builder.Services.AddScoped<AdminData>();
        builder.Services.AddScoped<Omnichat.Web.Reports.ReportsData>();
        builder.Services.AddScoped<Omnichat.Web.Account.AccountData>();
        // A signed-in user without the role a page needs (the administration console) sees why, not a 404.
        builder.Services.ConfigureApplicationCookie(o => o.AccessDeniedPath = "/account/access-denied");
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, PresenceCircuitHandler>();
        builder.Services.AddLocalization();
        return builder;
    }

    /// <summary>Russian unless the user chose English (cookie); the browser's language does not override it.</summary>
    public static WebApplication UseUiCulture(this WebApplication app)
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture("ru").AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
        options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        app.UseRequestLocalization(options);
        return app;
    }

    public static WebApplication MapWorkstation(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        app.MapGet("/culture", (HttpContext http, string c, string? redirect) =>
        {
            var culture = Cultures.Contains(c) ? c : "ru";
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(CultureInfo.GetCultureInfo(culture))),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return TypedResults.LocalRedirect(redirect is { Length: > 0 } r && Uri.IsWellFormedUriString(r, UriKind.Relative) && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/workstation");
        }).ExcludeFromDescription().AllowAnonymous();

        app.MapPost("/account/logout", async (HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, OmnichatDbContext db,
            TimeProvider time) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            // The session ends too: a copy of the cookie taken before signing out is worthless.
            if (Guid.TryParse(http.User.FindFirst(Omnichat.Core.Access.StaffSession.Claim)?.Value, out var sid))
            {
                var now = time.GetUtcNow();
                await db.StaffSessions.Where(s => s.Id == Omnichat.Core.Kernel.StaffSessionId.From(sid) && s.EndedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), http.RequestAborted);
            }

            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription().DisableAntiforgery();

        // Export downloads for the report pages (the browser's cookie; the API takes tokens only): the owner's own files.
        app.MapGet("/reports/exports/{id:guid}/file", async (Guid id, HttpContext http, OmnichatDbContext db,
            Omnichat.Core.Reporting.ReportExports exports, CancellationToken ct) =>
        {
            var (content, name, type) = await exports.OpenAsync(await Omnichat.Core.Access.StaffScope.ForAsync(db, http.User, ct), id, ct);
            return TypedResults.File(content, type, name);
        }).ExcludeFromDescription().RequireAuthorization(Omnichat.Core.Access.PermissionPolicy.Exports);
        return app;
    }
}

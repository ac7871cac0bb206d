using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;
using Omnichat.Testing.Identity;

namespace Omnichat.Server.Tests.Access;

/// <summary>OpenID Connect single sign-on against a local identity provider: code flow with PKCE, matched by e-mail, refusals.</summary>
public abstract class SingleSignOnTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeIdentityProvider _idp = null!;
    private OmnichatApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _idp = new FakeIdentityProvider();
        _app = new OmnichatApp(await TestDatabase.CreateAsync(provider))
            .WithSetting("Omnichat:Auth:SingleSignOn:Authority", _idp.Issuer)
            .WithSetting("Omnichat:Auth:SingleSignOn:ClientId", FakeIdentityProvider.ClientId)
            .WithSetting("Omnichat:Auth:SingleSignOn:ClientSecret", FakeIdentityProvider.ClientSecret)
            .WithSetting("Omnichat:Auth:SingleSignOn:RequireHttps", "false")
            .WithSetting("Omnichat:Auth:SingleSignOn:DisplayName", "Corporate ID");
        var admin = await _app.AdminClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/operators", new { login = "anna", password = "Anna-Passw0rd-1", displayName = "Anna", email = "anna@corp.example" }, Ct))
            .EnsureSuccessStatusCode();
        var disabled = await Scenario.Json(await admin.PostAsJsonAsync("/api/v1/operators",
            new { login = "gone", password = "Gone-Passw0rd-1", displayName = "Gone", email = "gone@corp.example" }, Ct));
        (await admin.PutAsJsonAsync($"/api/v1/operators/{disabled.GetProperty("id").GetGuid()}", new { displayName = "Gone", enabled = false }, Ct))
            .EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _idp.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Walks the browser's redirects: Omnichat → provider → Omnichat callback → completion; returns the last answer.</summary>
    private async Task<(HttpClient Browser, HttpResponseMessage Last)> SignInAsync()
    {
        var browser = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost"), HandleCookies = true });
        var start = await browser.GetAsync("/account/sso?returnUrl=%2Fworkstation", Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(_idp.Issuer + "/authorize?", start.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code_challenge=", start.Headers.Location.Query, StringComparison.Ordinal);

        using var user = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var atProvider = await user.GetAsync(start.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.Redirect, atProvider.StatusCode);
        var callback = await browser.GetAsync(atProvider.Headers.Location!.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var location = callback.Headers.Location!;
        var next = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        return next.StartsWith("/account/sso/complete", StringComparison.Ordinal) ? (browser, await browser.GetAsync(next, Ct)) : (browser, callback);
    }

    [Fact]
    public async Task A_person_known_by_e_mail_signs_in_through_the_provider_and_gets_an_audited_session()
    {
        _idp.SignedInEmail = "anna@corp.example";
        var (browser, last) = await SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
        Assert.Equal("/workstation", last.Headers.Location!.OriginalString);

        // The cookie opens the workstation (no redirect to the sign-in page) …
        var workstation = await browser.GetAsync("/workstation", Ct);
        Assert.Equal(HttpStatusCode.OK, workstation.StatusCode);
        Assert.DoesNotContain("id=\"sign-in\"", await workstation.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // … the code was exchanged with PKCE and the client secret …
        Assert.Contains(_idp.TokenRequests, r => r.Contains("code_verifier", StringComparison.Ordinal));
        // … and the sign-in is a session and an audit record like a password sign-in.
        await _app.InScopeAsync(async db =>
        {
            var anna = await db.Operators.SingleAsync(o => o.Login == "anna", Ct);
            Assert.Equal(1, await db.StaffSessions.CountAsync(s => s.OperatorId == anna.Id && s.Kind == Core.Access.StaffSessionKind.SingleSignOn, Ct));
            Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "auth.sign-in" && r.SubjectId == anna.Id.Value.ToString() && r.Details.Contains("oidc"), Ct));
        });
    }

    [Fact]
    public async Task Unknown_and_disabled_people_and_forged_tokens_are_refused_with_nothing_signed_in()
    {
        foreach (var (email, forged) in new[] { ("stranger@corp.example", false), ("gone@corp.example", false), ("anna@corp.example", true) })
        {
            _idp.SignedInEmail = email;
            _idp.SignWithForeignKey = forged;
            var (browser, last) = await SignInAsync();
            Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
            Assert.Equal("/account/login?error=sso", last.Headers.Location!.OriginalString);
            var workstation = await browser.GetAsync("/workstation", Ct);
            Assert.Equal(HttpStatusCode.Redirect, workstation.StatusCode);
            Assert.Contains("/account/login", workstation.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        await _app.InScopeAsync(async db =>
        {
            Assert.Equal(0, await db.StaffSessions.CountAsync(s => s.Kind == Core.Access.StaffSessionKind.SingleSignOn, Ct));
            Assert.Equal(2, await db.AuditRecords.CountAsync(r => r.Action == "auth.sign-in-failed" && r.Reason!.StartsWith("single sign-on"), Ct));
        });
    }
}

public sealed class SqliteSingleSignOnTests() : SingleSignOnTests(DatabaseProvider.Sqlite);

public sealed class PostgresSingleSignOnTests() : SingleSignOnTests(DatabaseProvider.Postgres);

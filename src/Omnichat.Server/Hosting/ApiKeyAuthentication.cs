using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Hosting;

/// <summary>
/// Integrations authenticate with <c>X-Api-Key: oc_…</c> (or <c>Authorization: ApiKey oc_…</c>). The key is found by its
/// public prefix and compared by hash in constant time; a revoked or expired key fails like an unknown one.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OmnichatDbContext db, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    public static bool Presented(HttpRequest request) =>
        request.Headers.ContainsKey(Header)
        || request.Headers.Authorization.ToString().StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers.TryGetValue(Header, out var header) ? header.ToString()
            : Request.Headers.Authorization.ToString() is var auth && auth.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) ? auth[(SchemeName.Length + 1)..]
            : null;
        if (string.IsNullOrWhiteSpace(presented))
        {
            return AuthenticateResult.NoResult();
        }

        presented = presented.Trim();
        if (ApiKey.PrefixOf(presented) is not { } prefix)
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, Context.RequestAborted);
        var now = time.GetUtcNow();
        if (key is null || !key.Matches(presented) || !key.IsActive(now))
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired API key.");
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt > StaffSession.TouchInterval)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
            [new Claim(StaffScope.ApiKeyClaim, key.Id.Value.ToString()), new Claim(ClaimTypes.Name, "api-key:" + key.Name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Omnichat.Testing.Identity;

/// <summary>
/// A local OpenID Connect provider for the single sign-on tests, on a loopback port: discovery, JWKS, the authorization
/// endpoint (the "person at the keyboard" is <see cref="SignedInEmail"/> — no login form) and the token endpoint of the
/// authorization code flow. It checks what a real provider checks — client id and secret, redirect URI, PKCE (S256),
/// one use per code — and signs ID tokens with RS256 (optionally with a foreign key, to test forged tokens).
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "omnichat-tests";
    public const string ClientSecret = "idp-client-secret";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _foreignKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private sealed record Grant(string RedirectUri, string Challenge, string? Nonce, string Email, string Subject);

    public FakeIdentityProvider()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Text(
            $$"""
              {"issuer":"{{Issuer}}","authorization_endpoint":"{{Issuer}}/authorize","token_endpoint":"{{Issuer}}/token","jwks_uri":"{{Issuer}}/jwks",
               "response_types_supported":["code"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],
               "code_challenge_methods_supported":["S256"],"scopes_supported":["openid","profile","email"],
               "token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"]}
              """, "application/json"));
        _app.MapGet("/jwks", () =>
        {
            var p = _key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!) } } });
        });
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Issuer = _app.Urls.First().TrimEnd('/');
    }

    public string Issuer { get; }

    /// <summary>Who is signed in at the provider (the e-mail claim of the next ID token).</summary>
    public string SignedInEmail { get; set; } = "";

    /// <summary>Sign the next ID tokens with a key that is not in the JWKS (a forgery).</summary>
    public bool SignWithForeignKey { get; set; }

    public ConcurrentQueue<string> TokenRequests { get; } = new();

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"])
            || !q["scope"].ToString().Split(' ').Contains("openid"))
        {
            return Results.BadRequest("invalid_request");
        }

        var code = B64(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new Grant(q["redirect_uri"].ToString(), q["code_challenge"].ToString(), q["nonce"].FirstOrDefault(), SignedInEmail, "sub-" + SignedInEmail);
        var separator = q["redirect_uri"].ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return Results.Redirect(q["redirect_uri"] + separator + "code=" + Uri.EscapeDataString(code) + "&state=" + Uri.EscapeDataString(q["state"]!)
                                + "&iss=" + Uri.EscapeDataString(Issuer));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        TokenRequests.Enqueue(string.Join("&", form.Select(f => f.Key)));
        var (clientId, secret) = (form["client_id"].ToString(), form["client_secret"].ToString());
        if (request.Headers.Authorization.ToString() is { Length: > 6 } basic && basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }

        if (clientId != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"]
            || B64(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var now = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer, ["sub"] = grant.Subject, ["aud"] = ClientId, ["iat"] = now.ToUnixTimeSeconds(), ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(), ["email"] = grant.Email, ["email_verified"] = true, ["nonce"] = grant.Nonce,
        };
        return Results.Json(new { access_token = B64(RandomNumberGenerator.GetBytes(16)), token_type = "Bearer", expires_in = 300, id_token = Sign(claims) });
    }

    private string Sign(Dictionary<string, object?> claims)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = "k1" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var key = SignWithForeignKey ? _foreignKey : _key;
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
        _foreignKey.Dispose();
    }
}

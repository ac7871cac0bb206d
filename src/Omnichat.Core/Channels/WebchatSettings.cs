using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Omnichat.Core.Channels;

/// <summary>
/// Website-channel settings read from the channel's JSON settings:
/// <c>requireVerifiedUser</c> (sessions need a valid userHash) and <c>allowedDomains</c> (sites allowed
/// to embed the widget; "example.com" also allows its subdomains).
/// </summary>
public sealed partial record WebchatSettings(bool RequireVerifiedUser, IReadOnlyList<string> AllowedDomains)
{
    public static WebchatSettings From(string settingsJson)
    {
        JsonObject? settings;
        try
        {
            settings = JsonNode.Parse(settingsJson) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            settings = null;
        }

        var require = settings?["requireVerifiedUser"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var domains = settings?["allowedDomains"] is JsonArray list
            ? list.Select(d => d is JsonValue s && s.TryGetValue<string>(out var text) ? text.Trim().ToLowerInvariant() : null)
                .Where(d => d is not null && IsDomain(d)).Select(d => d!).Distinct().ToList()
            : [];
        return new WebchatSettings(require, domains);
    }

    /// <summary>Plain host names only: nothing that could break out of a CSP header.</summary>
    public static bool IsDomain(string value) => value.Length <= 253 && DomainPattern().IsMatch(value);

    /// <summary>CSP frame-ancestors sources for the allowed domains (https, the domain and its subdomains).</summary>
    public string? FrameAncestors() =>
        AllowedDomains.Count == 0
            ? null
            : "frame-ancestors 'self' " + string.Join(' ', AllowedDomains.SelectMany(d => new[] { $"https://{d}", $"https://*.{d}" }));

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();
}

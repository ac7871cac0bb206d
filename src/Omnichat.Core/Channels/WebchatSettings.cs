using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Omnichat.Core.Channels;

/// <summary>
/// Website-channel settings read from the channel's JSON settings:
/// <c>requireVerifiedUser</c> (sessions need a valid userHash) and <c>allowedDomains</c> (sites allowed
/// to embed the widget; "example.com" also allows its subdomains).
/// </summary>
public sealed partial record WebchatSettings(bool RequireVerifiedUser, IReadOnlyList<string> AllowedDomains, WidgetTheme Theme, PreChatForm PreChat, bool OfflineForm = true)
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
        var theme = settings?["theme"] as JsonObject;
        string? Text(string name, int max) =>
            theme?[name] is JsonValue t && t.TryGetValue<string>(out var s) && s.Trim().Length is > 0 and var n && n <= max && !s.Any(char.IsControl)
                ? s.Trim()
                : null;
        var color = Text("color", 7) is { } c && ColorPattern().IsMatch(c) ? c.ToLowerInvariant() : null;
        var avatar = Text("avatarUrl", 500) is { } a && Uri.TryCreate(a, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri.AbsoluteUri : null;
        var position = Text("position", 5) is "left" ? "left" : "right";
        var offlineForm = settings?["offlineForm"] is not JsonValue off || !off.TryGetValue<bool>(out var offValue) || offValue;
        return new WebchatSettings(require, domains, new WidgetTheme(Text("title", 100), color, avatar, position, Text("launcherText", 40)),
            PreChatForm.From(settings?["preChat"] as JsonObject), offlineForm);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();

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

/// <summary>
/// The widget's look from the channel's <c>theme</c> settings (<c>title</c>, <c>color</c> as #rrggbb,
/// <c>avatarUrl</c> https only, <c>position</c> left|right, <c>launcherText</c>); invalid values fall back to defaults.
/// </summary>
public sealed record WidgetTheme(string? Title, string? Color, string? AvatarUrl, string Position, string? LauncherText);

/// <summary>
/// The widget's pre-chat form from the channel's <c>preChat</c> settings: <c>enabled</c>; <c>name</c>,
/// <c>email</c>, <c>phone</c> each <c>off</c> | <c>optional</c> | <c>required</c>; <c>topics</c> (up to 20
/// names; the chosen one is the conversation's topic, which routing rules match); <c>consentText</c>
/// (when set, the client must tick the consent box). Invalid values fall back to off/none.
/// </summary>
public sealed record PreChatForm(bool Enabled, string Name, string Email, string Phone, IReadOnlyList<string> Topics, string? ConsentText)
{
    public const int MaxTopics = 20;
    public const int MaxTopicLength = 100;

    public static readonly PreChatForm Off = new(false, "off", "off", "off", [], null);

    public static PreChatForm From(JsonObject? json)
    {
        if (json is null || json["enabled"] is not JsonValue e || !e.TryGetValue<bool>(out var enabled) || !enabled)
        {
            return Off;
        }

        string Field(string name) => json[name] is JsonValue v && v.TryGetValue<string>(out var s) && s is "optional" or "required" ? s : "off";
        var topics = json["topics"] is JsonArray list
            ? list.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : null)
                .Where(t => t is { Length: > 0 and <= MaxTopicLength } && !t.Any(char.IsControl)).Select(t => t!)
                .Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxTopics).ToList()
            : [];
        var consent = json["consentText"] is JsonValue c && c.TryGetValue<string>(out var text) && text.Trim().Length is > 0 and <= 1000 ? text.Trim() : null;
        return new PreChatForm(true, Field("name"), Field("email"), Field("phone"), topics, consent);
    }
}

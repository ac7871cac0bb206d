using System.Text.Json.Nodes;

namespace Omnichat.Core.Files;

/// <summary>
/// A channel's file rules from its JSON settings, <c>files</c>: <c>enabled</c> (default true),
/// <c>maxSizeMb</c> (default and ceiling: <c>Omnichat:Files:MaxSizeMb</c>), <c>types</c> — categories
/// accepted, from image, document, text, archive, audio, video (default image, document, text).
/// </summary>
public sealed record ChannelFileRules(bool Enabled, long MaxSizeBytes, IReadOnlyList<FileCategory> Categories)
{
    public static readonly IReadOnlyList<FileCategory> DefaultCategories = [FileCategory.Image, FileCategory.Document, FileCategory.Text];

    public static ChannelFileRules From(string settingsJson, int globalMaxMb)
    {
        JsonObject? files = null;
        try
        {
            files = (JsonNode.Parse(settingsJson) as JsonObject)?["files"] as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Unreadable settings: the defaults apply.
        }

        var enabled = files?["enabled"] is not JsonValue e || !e.TryGetValue<bool>(out var on) || on;
        var mb = files?["maxSizeMb"] is JsonValue m && m.TryGetValue<double>(out var value) && value > 0 ? Math.Min(value, globalMaxMb) : globalMaxMb;
        var categories = files?["types"] is JsonArray list
            ? list.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) && Enum.TryParse<FileCategory>(s, ignoreCase: true, out var c) ? c : (FileCategory?)null)
                .Where(c => c is not null).Select(c => c!.Value).Distinct().ToList()
            : [.. DefaultCategories];
        return new ChannelFileRules(enabled, (long)(mb * 1024 * 1024), categories);
    }

    public bool Accepts(FileType type) => Categories.Contains(type.Category);

    /// <summary>What the widget needs to check before uploading (the server checks again).</summary>
    public FileRulesView View() => new(Enabled, MaxSizeBytes,
        FileTypes.All.Where(Accepts).Select(t => t.ContentType).Distinct().ToList(),
        FileTypes.All.Where(Accepts).SelectMany(t => t.Extensions).Select(e => "." + e).ToList());
}

/// <summary>A channel's file limits as clients see them: accepted MIME types and extensions, the size limit.</summary>
public sealed record FileRulesView(bool Enabled, long MaxSizeBytes, IReadOnlyList<string> ContentTypes, IReadOnlyList<string> Extensions);

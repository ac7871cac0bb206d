using System.Text.Json;

namespace Omnichat.Web.Admin;

/// <summary>
/// An audit record's details as lines for people: <c>name: before → after</c> for a changed value, <c>name: value</c>
/// for a value set or recorded, one line per changed part (a membership, a channel link). The page shows them as text.
/// </summary>
public static class AuditDetails
{
    public static IReadOnlyList<string> Lines(JsonElement details)
    {
        var lines = new List<string>();
        if (details.ValueKind != JsonValueKind.Object)
        {
            if (details.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                lines.Add(Scalar(details));
            }

            return lines;
        }

        foreach (var p in details.EnumerateObject())
        {
            if (p.Name == "change")
            {
                // Said by the action already (user.created, role.updated…).
                continue;
            }

            if (p.Name == "parts" && p.Value.ValueKind == JsonValueKind.Array)
            {
                lines.AddRange(p.Value.EnumerateArray().Select(Part));
                continue;
            }

            lines.Add(Describe(p.Name, p.Value));
        }

        return lines;
    }

    private static string Part(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return Scalar(part);
        }

        var name = part.TryGetProperty("part", out var n) ? Scalar(n) : "";
        var change = part.TryGetProperty("change", out var c) ? Scalar(c) : "";
        var values = part.EnumerateObject().Where(v => v.Name is not ("part" or "change")).Select(v => Describe(v.Name, v.Value));
        return $"{name} ({change}): {string.Join("; ", values)}";
    }

    private static string Describe(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Name is "before" or "after") && value.EnumerateObject().Any())
        {
            var hasBefore = value.TryGetProperty("before", out var before);
            var hasAfter = value.TryGetProperty("after", out var after);
            return hasBefore && hasAfter ? $"{name}: {Scalar(before)} → {Scalar(after)}"
                : hasAfter ? $"{name}: {Scalar(after)}"
                : $"{name}: {Scalar(before)} → —";
        }

        return $"{name}: {Scalar(value)}";
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        // An empty text or list (values are recorded as text) shows as "—", like a missing one.
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : "—",
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Scalar)) + "]",
        _ => value.GetRawText(),
    };
}

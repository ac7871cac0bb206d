using System.Text.RegularExpressions;

namespace Omnichat.Core.Files;

/// <summary>Storage keys: <c>yyyy/MM/&lt;32 hex&gt;[.preview]</c> and <c>exports/&lt;32 hex&gt;.csv|xlsx</c>, generated here only.</summary>
public static partial class FileKeys
{
    public static string New(DateTimeOffset now) => $"{now:yyyy}/{now:MM}/{Guid.CreateVersion7():N}";

    public static string PreviewOf(string key) => key + ".preview";

    /// <summary>The file of a report export: <c>exports/&lt;32 hex&gt;.csv|xlsx</c>.</summary>
    public static string Export(Guid id, string format) => format is "csv" or "xlsx"
        ? $"exports/{id:N}.{format}"
        : throw new ArgumentException("Not an export format.", nameof(format));

    /// <summary>True for keys this class makes; storage refuses anything else (defence in depth).</summary>
    public static bool IsValid(string key) => KeyPattern().IsMatch(key);

    [GeneratedRegex("^([0-9]{4}/[0-9]{2}/[0-9a-f]{32}(\\.preview)?|exports/[0-9a-f]{32}\\.(csv|xlsx))$")]
    private static partial Regex KeyPattern();
}

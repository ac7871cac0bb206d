using System.Text;

namespace Omnichat.Core.Files;

/// <summary>
/// Makes a client-given file name safe to store and show: the last path segment only (so
/// <c>../../etc/passwd</c> becomes <c>passwd</c>), no control or reserved characters, no leading dots,
/// at most 255 characters with the extension kept. It is only ever a display name: storage uses its own keys.
/// </summary>
public static class FileNames
{
    private const string Reserved = "<>:\"/\\|?*";

    public static string Clean(string? name, string fallback = "file")
    {
        var text = (name ?? "").Normalize(NormalizationForm.FormC).Replace('\\', '/');
        var last = text[(text.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(last.Length);
        foreach (var ch in last)
        {
            if (char.IsControl(ch) || Reserved.Contains(ch) || ch is '\u202E' or '\u202D' or '\u200E' or '\u200F' or '\u2066' or '\u2067' or '\u2068' or '\u2069')
            {
                // Bidi overrides would let "gpj.exe" show as "exe.jpg".
                builder.Append('_');
            }
            else
            {
                builder.Append(ch);
            }
        }

        var clean = builder.ToString().Trim().TrimStart('.').TrimEnd('.', ' ');
        if (clean.Length == 0 || clean.All(c => c == '_'))
        {
            clean = fallback;
        }

        if (clean.Length > Conversations.MessageAttachment.MaxFileNameLength)
        {
            var extension = FileTypes.ExtensionOf(clean);
            var keep = extension.Length is > 0 and <= 10 ? "." + extension : "";
            clean = clean[..(Conversations.MessageAttachment.MaxFileNameLength - keep.Length)] + keep;
        }

        return clean;
    }
}

using System.IO.Compression;

namespace Omnichat.Core.Files;

/// <summary>A group of file types a channel accepts or not (channel setting <c>files.types</c>).</summary>
public enum FileCategory
{
    Image,
    Document,
    Text,
    Archive,
    Audio,
    Video,
}

/// <summary>A file type Omnichat recognises by content: its MIME type, category and usual extensions.</summary>
public sealed record FileType(string ContentType, FileCategory Category, string Description, params string[] Extensions)
{
    /// <summary>Raster images a browser can show inline safely (never SVG: it can carry script).</summary>
    public bool IsInlineImage => Category == FileCategory.Image;
}

/// <summary>
/// Recognises what a file really is from its first bytes (and, for Office files, the package inside), so a
/// declared type or a lying extension is never trusted. Markup and executables are never recognised and so
/// never accepted: an HTML or SVG file cannot be stored to run in someone's browser later.
/// </summary>
public static class FileTypes
{
    public static readonly FileType Png = new("image/png", FileCategory.Image, "PNG image", "png");
    public static readonly FileType Jpeg = new("image/jpeg", FileCategory.Image, "JPEG image", "jpg", "jpeg", "jfif", "jpe");
    public static readonly FileType Gif = new("image/gif", FileCategory.Image, "GIF image", "gif");
    public static readonly FileType Webp = new("image/webp", FileCategory.Image, "WebP image", "webp");
    public static readonly FileType Pdf = new("application/pdf", FileCategory.Document, "PDF document", "pdf");
    public static readonly FileType Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileCategory.Document, "Word document", "docx");
    public static readonly FileType Xlsx = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileCategory.Document, "Excel workbook", "xlsx");
    public static readonly FileType Pptx = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", FileCategory.Document, "PowerPoint presentation", "pptx");
    public static readonly FileType Odt = new("application/vnd.oasis.opendocument.text", FileCategory.Document, "OpenDocument text", "odt");
    public static readonly FileType Ods = new("application/vnd.oasis.opendocument.spreadsheet", FileCategory.Document, "OpenDocument spreadsheet", "ods");
    public static readonly FileType Doc = new("application/msword", FileCategory.Document, "Word 97–2003 document", "doc");
    public static readonly FileType Xls = new("application/vnd.ms-excel", FileCategory.Document, "Excel 97–2003 workbook", "xls");
    public static readonly FileType Text = new("text/plain", FileCategory.Text, "text file", "txt", "log", "md", "json");
    public static readonly FileType Csv = new("text/csv", FileCategory.Text, "CSV table", "csv");
    public static readonly FileType Zip = new("application/zip", FileCategory.Archive, "ZIP archive", "zip");
    public static readonly FileType SevenZip = new("application/x-7z-compressed", FileCategory.Archive, "7-Zip archive", "7z");
    public static readonly FileType Mp3 = new("audio/mpeg", FileCategory.Audio, "MP3 audio", "mp3");
    public static readonly FileType Ogg = new("audio/ogg", FileCategory.Audio, "Ogg audio", "ogg", "oga", "opus");
    public static readonly FileType M4a = new("audio/mp4", FileCategory.Audio, "MPEG-4 audio", "m4a");
    public static readonly FileType Mp4 = new("video/mp4", FileCategory.Video, "MP4 video", "mp4", "m4v");
    public static readonly FileType Mov = new("video/quicktime", FileCategory.Video, "QuickTime video", "mov");
    public static readonly FileType Webm = new("video/webm", FileCategory.Video, "WebM video", "webm");

    public static readonly IReadOnlyList<FileType> All =
        [Png, Jpeg, Gif, Webp, Pdf, Docx, Xlsx, Pptx, Odt, Ods, Doc, Xls, Text, Csv, Zip, SevenZip, Mp3, Ogg, M4a, Mp4, Mov, Webm];

    /// <summary>How many leading bytes <see cref="Detect"/> wants to see.</summary>
    public const int HeaderLength = 64 * 1024;

    /// <summary>Extensions that name markup, scripts or programs: such a file is refused whatever its content.</summary>
    private static readonly HashSet<string> Dangerous = new(StringComparer.OrdinalIgnoreCase)
    {
        "html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "js", "mjs", "css", "hta", "exe", "dll", "com", "scr", "bat", "cmd",
        "ps1", "vbs", "vbe", "wsf", "msi", "jar", "apk", "sh", "php", "jsp", "asp", "aspx", "lnk", "iso",
    };

    public static string ExtensionOf(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        return dot <= 0 || dot == fileName.Length - 1 ? "" : fileName[(dot + 1)..].ToLowerInvariant();
    }

    public static bool IsDangerousExtension(string extension) => Dangerous.Contains(extension);

    /// <summary>The known type whose extensions include this one, if any.</summary>
    public static FileType? ByExtension(string extension) =>
        extension.Length == 0 ? null : All.FirstOrDefault(t => t.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// What the content is, from its header; <paramref name="extension"/> only decides between types the bytes
    /// cannot tell apart (ZIP vs Office package, text vs CSV). Null: not a type Omnichat accepts.
    /// </summary>
    public static FileType? Detect(ReadOnlySpan<byte> header, string extension, Func<Stream>? openWhole = null)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }

        if (header.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (header.StartsWith("PK\x03\x04"u8) || header.StartsWith("PK\x05\x06"u8))
        {
            return openWhole is null ? Zip : Package(openWhole, extension);
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            // Compound file (Office 97–2003): only as the document its extension names.
            return extension switch { "doc" => Doc, "xls" => Xls, _ => null };
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return SevenZip;
        }

        if (header.StartsWith("OggS"u8))
        {
            return Ogg;
        }

        if (header.StartsWith("ID3"u8) || (header.Length >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0 && extension == "mp3"))
        {
            return Mp3;
        }

        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = header[8..12];
            return brand.SequenceEqual("qt  "u8) ? Mov : brand.SequenceEqual("M4A "u8) || extension == "m4a" ? M4a : Mp4;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return Webm;
        }

        return LooksLikeText(header) ? (extension == "csv" ? Csv : Text) : null;
    }

    /// <summary>A ZIP file: an Office/OpenDocument package when its parts say so, else a plain archive.</summary>
    private static FileType Package(Func<Stream> openWhole, string extension)
    {
        try
        {
            using var stream = openWhole();
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            var names = zip.Entries.Take(2000).Select(e => e.FullName).ToList();
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Exists(n => n.StartsWith("word/", StringComparison.Ordinal)))
                {
                    return Docx;
                }

                if (names.Exists(n => n.StartsWith("xl/", StringComparison.Ordinal)))
                {
                    return Xlsx;
                }

                if (names.Exists(n => n.StartsWith("ppt/", StringComparison.Ordinal)))
                {
                    return Pptx;
                }
            }

            if (names.Contains("mimetype") && zip.GetEntry("mimetype") is { } mime)
            {
                using var reader = new StreamReader(mime.Open());
                var kind = reader.ReadToEnd().Trim();
                if (kind == Odt.ContentType)
                {
                    return Odt;
                }

                if (kind == Ods.ContentType)
                {
                    return Ods;
                }
            }
        }
        catch (InvalidDataException)
        {
            // A damaged archive is still "a ZIP file": a .docx name on it then fails the extension check.
        }

        return Zip;
    }

    /// <summary>Text: no NUL bytes and almost no control characters (UTF-8 or a legacy 8-bit code page).</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> header)
    {
        if (header.Length == 0)
        {
            return false;
        }

        var controls = 0;
        foreach (var b in header)
        {
            if (b == 0)
            {
                return false;
            }

            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C and not 0x1B)
            {
                controls++;
            }
        }

        return controls * 100 <= header.Length;
    }
}

using System.IO.Compression;
using System.Text;
using Omnichat.Core.Files;
using SkiaSharp;

namespace Omnichat.Core.Tests.Files;

public sealed class FileTypesTests
{
    private static FileType? Detect(byte[] bytes, string name) =>
        FileTypes.Detect(bytes, FileTypes.ExtensionOf(name), () => new MemoryStream(bytes));

    private static byte[] Zip(params string[] entries)
    {
        var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
                writer.Write(entry == "mimetype" ? FileTypes.Odt.ContentType : "<x/>");
            }
        }

        return memory.ToArray();
    }

    [Fact]
    public void Content_decides_the_type_and_the_extension_only_separates_look_alikes()
    {
        Assert.Equal(FileTypes.Pdf, Detect(Encoding.ASCII.GetBytes("%PDF-1.7 ..."), "x.png"));
        Assert.Equal(FileTypes.Jpeg, Detect([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "photo"));
        Assert.Equal(FileTypes.Gif, Detect(Encoding.ASCII.GetBytes("GIF89a...."), "a.gif"));
        Assert.Equal(FileTypes.Docx, Detect(Zip("[Content_Types].xml", "word/document.xml"), "report.docx"));
        Assert.Equal(FileTypes.Xlsx, Detect(Zip("[Content_Types].xml", "xl/workbook.xml"), "report.xlsx"));
        Assert.Equal(FileTypes.Odt, Detect(Zip("mimetype", "content.xml"), "letter.odt"));
        Assert.Equal(FileTypes.Zip, Detect(Zip("a.txt"), "report.docx"));
        Assert.Equal(FileTypes.Csv, Detect(Encoding.UTF8.GetBytes("a;b\n1;2\n"), "t.csv"));
        Assert.Equal(FileTypes.Text, Detect([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0x0D, 0x0A], "t.txt"));
        Assert.Equal(FileTypes.Doc, Detect([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "old.doc"));
        Assert.Null(Detect([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "setup.msi"));
        Assert.Null(Detect([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00], "program"));
        Assert.Null(Detect([], "empty.txt"));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\boot.ini", "boot.ini")]
    [InlineData("...hidden", "hidden")]
    [InlineData("a\u0000b\r\nc.txt", "a_b__c.txt")]
    [InlineData("invoice\u202Efdp.exe", "invoice_fdp.exe")]
    [InlineData("", "file")]
    [InlineData("///", "file")]
    [InlineData("<script>.png", "_script_.png")]
    public void File_names_are_reduced_to_a_safe_display_name(string given, string expected) =>
        Assert.Equal(expected, FileNames.Clean(given));

    [Fact]
    public void Long_names_keep_their_extension()
    {
        var clean = FileNames.Clean(new string('я', 400) + ".pdf");
        Assert.Equal(255, clean.Length);
        Assert.EndsWith(".pdf", clean, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_and_programs_are_dangerous_whatever_the_case()
    {
        foreach (var ext in new[] { "html", "SVG", "Exe", "js", "xml" })
        {
            Assert.True(FileTypes.IsDangerousExtension(ext.ToLowerInvariant()) || FileTypes.IsDangerousExtension(ext), ext);
        }

        Assert.False(FileTypes.IsDangerousExtension("pdf"));
    }

    [Fact]
    public void An_image_preview_fits_the_limit_and_the_format_must_match_the_claim()
    {
        // A 900x600 JPEG: the preview keeps its shape within 480 px.
        using var bitmap = new SKBitmap(900, 600);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.OrangeRed);
        }

        using var image = SKImage.FromBitmap(bitmap);
        var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        var result = ImagePreview.Make(new MemoryStream(jpeg), FileTypes.Jpeg);
        Assert.NotNull(result);
        Assert.Equal((900, 600), (result.Width, result.Height));
        using var preview = SKBitmap.Decode(result.Preview);
        Assert.Equal((480, 320), (preview.Width, preview.Height));
        // The same bytes claimed as a PNG are refused.
        Assert.Null(ImagePreview.Make(new MemoryStream(jpeg), FileTypes.Png));
    }

    [Theory]
    [InlineData(6, SKEncodedOrigin.RightTop)]
    [InlineData(8, SKEncodedOrigin.LeftBottom)]
    [InlineData(5, SKEncodedOrigin.LeftTop)]
    [InlineData(7, SKEncodedOrigin.RightBottom)]
    public void A_phone_photo_with_an_orientation_tag_gets_an_upright_preview(byte orientation, SKEncodedOrigin origin)
    {
        // Stored 600x400: left half red, right half blue. Tags 5-8 turn it a quarter, so it shows 400x600.
        using var bitmap = new SKBitmap(600, 400);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            canvas.DrawRect(0, 0, 300, 400, new SKPaint { Color = SKColors.Red });
        }

        using var image = SKImage.FromBitmap(bitmap);
        var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray();
        // APP1 Exif segment (big-endian TIFF) with one Orientation entry, inserted after SOI.
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        byte[] tagged = [.. jpeg.Take(2), .. exif, .. jpeg.Skip(2)];
        using (var codec = SKCodec.Create(new MemoryStream(tagged)))
        {
            Assert.Equal(origin, codec.EncodedOrigin);
        }

        var result = ImagePreview.Make(new MemoryStream(tagged), FileTypes.Jpeg);
        Assert.NotNull(result);
        Assert.Equal((400, 600), (result.Width, result.Height));
        using var preview = SKBitmap.Decode(result.Preview);
        Assert.Equal((320, 480), (preview.Width, preview.Height));
        // Where the stored image's left (red) half ends up once shown the right way round.
        var redOnTop = orientation is 6 or 5;
        bool IsRed(SKColor c) => c.Red > 200 && c.Blue < 80;
        Assert.Equal(redOnTop, IsRed(preview.GetPixel(160, 40)));
        Assert.Equal(!redOnTop, IsRed(preview.GetPixel(160, 440)));
    }
}

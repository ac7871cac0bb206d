using SkiaSharp;

namespace Omnichat.Core.Files;

/// <summary>
/// Checks that an image decodes as the format its header claims and makes a small WebP preview (the
/// longest side at most <see cref="MaxSide"/>, camera orientation applied, metadata dropped). Images
/// above <see cref="MaxPixels"/> are accepted without a preview rather than decoded in full (decompression bombs).
/// </summary>
public static class ImagePreview
{
    public const int MaxSide = 480;
    public const long MaxPixels = 40_000_000;

    public sealed record Result(int Width, int Height, byte[]? Preview);

    /// <summary>Null when the bytes are not a decodable image of the expected format.</summary>
    public static Result? Make(Stream content, FileType expected)
    {
        using var codec = SKCodec.Create(content, out var status);
        if (codec is null || status != SKCodecResult.Success || !Matches(codec.EncodedFormat, expected))
        {
            return null;
        }

        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            return null;
        }

        var swapped = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (width, height) = swapped ? (info.Height, info.Width) : (info.Width, info.Height);
        if ((long)info.Width * info.Height > MaxPixels)
        {
            return new Result(width, height, null);
        }

        // JPEG decodes straight to a smaller size (1/2, 1/4, 1/8), which keeps big photos cheap.
        var scale = Math.Min(1f, (float)MaxSide / Math.Max(info.Width, info.Height));
        var decodeSize = codec.GetScaledDimensions(Math.Max(scale, 0.125f));
        if (Math.Max(decodeSize.Width, decodeSize.Height) < Math.Min(MaxSide, Math.Max(info.Width, info.Height)))
        {
            // The nearest cheap scale is below the preview size: decode in full and resize.
            decodeSize = new SKSizeI(info.Width, info.Height);
        }

        using var decoded = new SKBitmap(new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            return null;
        }

        var fit = Math.Min(1f, (float)MaxSide / Math.Max(decoded.Width, decoded.Height));
        using var resized = fit < 1f
            ? decoded.Resize(new SKSizeI(Math.Max(1, (int)(decoded.Width * fit)), Math.Max(1, (int)(decoded.Height * fit))), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            : decoded.Copy();
        if (resized is null)
        {
            return null;
        }

        using var oriented = Orient(resized, codec.EncodedOrigin);
        using var image = SKImage.FromBitmap(oriented);
        using var data = image.Encode(SKEncodedImageFormat.Webp, 80);
        return new Result(width, height, data?.ToArray());
    }

    private static bool Matches(SKEncodedImageFormat format, FileType expected) => format switch
    {
        SKEncodedImageFormat.Png => expected == FileTypes.Png,
        SKEncodedImageFormat.Jpeg => expected == FileTypes.Jpeg,
        SKEncodedImageFormat.Gif => expected == FileTypes.Gif,
        SKEncodedImageFormat.Webp => expected == FileTypes.Webp,
        _ => false,
    };

    /// <summary>Applies the EXIF orientation, so a phone photo's preview stands the right way up.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return source.Copy();
        }

        var swapped = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var target = new SKBitmap(swapped ? source.Height : source.Width, swapped ? source.Width : source.Height);
        using var canvas = new SKCanvas(target);
        var (w, h) = (target.Width, target.Height);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2f, h / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.Scale(-1, 1); canvas.RotateDegrees(90); break; // transpose
            case SKEncodedOrigin.RightTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(w, h); canvas.Scale(1, -1); canvas.RotateDegrees(90); break; // transverse
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, h); canvas.RotateDegrees(270); break;
        }

        canvas.DrawBitmap(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        return target;
    }
}

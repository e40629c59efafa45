using Bimtek.Production.Domain;
using SkiaSharp;

namespace Bimtek.Production.Application;

/// <summary>One encoded version of a photo as it is kept and served.</summary>
public sealed record EncodedImage(byte[] Bytes, string ContentType, int Width, int Height);

/// <summary>The versions kept of an uploaded photo: for display (long edge ≤ 1280 px) and a thumbnail (≤ 320 px).</summary>
public sealed record ProcessedPhoto(EncodedImage Display, EncodedImage Thumb);

/// <summary>
/// Turns the bytes a phone sent into the versions the suite keeps, with SkiaSharp (MIT; Skia is the decoder of
/// Chrome and Android, so it meets crafted images as hardened as a browser does): decode once, turn upright by the
/// EXIF orientation, scale down, and encode again from bare pixels. An encoder that starts from pixels has no
/// metadata to copy, so nothing of the original file survives but the picture: no EXIF (GPS position, camera,
/// time), no XMP, no comments; colours are converted to sRGB on decode so no ICC profile is needed either.
/// The original file is never stored. Pure computation, no I/O.
/// </summary>
public static class PhotoImaging
{
    private const int JpegQuality = 82;
    private const int WebpQuality = 80;

    public static ProcessedPhoto Process(PhotoFormat format, byte[] body, PhotoLimits limits)
    {
        using var data = SKData.CreateCopy(body);
        using var codec = SKCodec.Create(data) ?? throw PhotoRules.Unreadable();
        var info = codec.Info;
        PhotoRules.CheckDimensions(info.Width, info.Height, limits);
        var origin = codec.EncodedOrigin;
        using var decoded = Decode(codec, limits.DisplayLongEdge);
        var opaque = format == PhotoFormat.Jpeg || decoded.AlphaType == SKAlphaType.Opaque;
        var display = Render(decoded, origin, limits.DisplayLongEdge, format, opaque);
        var thumb = Render(decoded, origin, limits.ThumbLongEdge, format, opaque);
        return new ProcessedPhoto(display, thumb);
    }

    /// <summary>Decodes in sRGB, at a reduced scale when the codec can (JPEG: 1/2, 1/4, 1/8) and the result still covers the display size.</summary>
    private static SKBitmap Decode(SKCodec codec, int displayLongEdge)
    {
        var size = codec.Info.Size;
        var longest = Math.Max(size.Width, size.Height);
        if (longest > displayLongEdge)
        {
            var scaled = codec.GetScaledDimensions((float)displayLongEdge / longest);
            if (Math.Max(scaled.Width, scaled.Height) >= displayLongEdge)
            {
                size = scaled;
            }
        }
        var target = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888,
            codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(target);
        var result = codec.GetPixels(target, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw PhotoRules.Unreadable();
        }
        return bitmap;
    }

    private static EncodedImage Render(SKBitmap source, SKEncodedOrigin origin, int longEdge, PhotoFormat format, bool opaque)
    {
        var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (uprightWidth, uprightHeight) = turned ? (source.Height, source.Width) : (source.Width, source.Height);
        var (width, height) = PhotoRules.Fit(uprightWidth, uprightHeight, longEdge);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Could not create a drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(opaque ? SKColors.White : SKColors.Transparent);
        var scale = SKMatrix.CreateScale((float)width / uprightWidth, (float)height / uprightHeight);
        canvas.SetMatrix(scale.PreConcat(Upright(origin, source.Width, source.Height)));
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Flush();
        using var snapshot = surface.Snapshot();
        var (skFormat, quality) = format switch
        {
            PhotoFormat.Png => (SKEncodedImageFormat.Png, 100),
            PhotoFormat.Webp => (SKEncodedImageFormat.Webp, WebpQuality),
            _ => (SKEncodedImageFormat.Jpeg, JpegQuality),
        };
        using var encoded = snapshot.Encode(skFormat, quality) ?? throw new InvalidOperationException($"Could not encode {format}.");
        return new EncodedImage(encoded.ToArray(), PhotoFormats.ContentType(format), width, height);
    }

    /// <summary>
    /// The transform that shows a stored image upright for its EXIF orientation (1–8): source pixel (x, y) of a
    /// w×h image lands at the listed display position.
    /// </summary>
    public static SKMatrix Upright(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),      // 2: (w - x, y)
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),  // 3: (w - x, h - y)
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),    // 4: (x, h - y)
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),        // 5: (y, x)
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),      // 6: (h - y, x)
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),  // 7: (h - y, w - x)
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),    // 8: (y, w - x)
        _ => SKMatrix.Identity,                                                      // 1
    };
}

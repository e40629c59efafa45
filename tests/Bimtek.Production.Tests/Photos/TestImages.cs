using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;
using SixLabors.ImageSharp.PixelFormats;

namespace Bimtek.Production.Tests.Photos;

/// <summary>Real images made with ImageSharp, carrying what a phone camera writes: GPS position, camera, time, XMP.</summary>
public static class TestImages
{
    /// <summary>Amuntai, Hulu Sungai Utara: where the trainee's home is (what must never leave the phone's file).</summary>
    public static readonly Rational[] Latitude = [new(2, 1), new(25, 1), new(1234, 100)];
    public static readonly Rational[] Longitude = [new(115, 1), new(15, 1), new(4321, 100)];

    public const string XmpMarker = "bimtek-test-xmp-location";

    public static byte[] WithGps(string format, int width = 64, int height = 48, ushort? orientation = null)
    {
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    // Left half red, right half blue: orientation tests can tell where the left edge went.
                    row[x] = x < width / 2 ? new Rgba32(220, 20, 20) : new Rgba32(20, 20, 220);
                }
            }
        });
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.GPSLatitudeRef, "S");
        exif.SetValue(ExifTag.GPSLatitude, Latitude);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, Longitude);
        exif.SetValue(ExifTag.Make, "TestPhone");
        exif.SetValue(ExifTag.Model, "Family phone 1");
        exif.SetValue(ExifTag.DateTimeOriginal, "2020:05:19 10:11:12");
        if (orientation is { } o)
        {
            exif.SetValue(ExifTag.Orientation, o);
        }
        image.Metadata.ExifProfile = exif;
        image.Metadata.XmpProfile = new XmpProfile(System.Text.Encoding.UTF8.GetBytes(
            $"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
            $"<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"2,25.2S\">{XmpMarker}</rdf:Description>" +
            "</rdf:RDF></x:xmpmeta>"));
        using var output = new MemoryStream();
        switch (format)
        {
            case "image/png":
                image.Save(output, new PngEncoder());
                break;
            case "image/webp":
                image.Save(output, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
                break;
            default:
                image.Save(output, new JpegEncoder { Quality = 90 });
                break;
        }
        return output.ToArray();
    }

    /// <summary>The GPS latitude an independent reader finds in the bytes, or null.</summary>
    public static Rational[]? GpsLatitude(byte[] bytes)
    {
        var info = Image.Identify(bytes);
        var exif = info?.Metadata.ExifProfile;
        return exif?.GetValue(ExifTag.GPSLatitude)?.Value;
    }

    public static ExifProfile? Exif(byte[] bytes) => Image.Identify(bytes)?.Metadata.ExifProfile;

    public static XmpProfile? Xmp(byte[] bytes) => Image.Identify(bytes)?.Metadata.XmpProfile;

    public static (int Width, int Height) Size(byte[] bytes)
    {
        var info = Image.Identify(bytes) ?? throw new InvalidOperationException("not an image");
        return (info.Width, info.Height);
    }

    public static Rgba32 Pixel(byte[] bytes, int x, int y)
    {
        using var image = Image.Load<Rgba32>(bytes);
        return image[x, y];
    }

    /// <summary>True when the byte sequence occurs anywhere in the file.</summary>
    public static bool Contains(byte[] bytes, string ascii) =>
        bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(ascii)) >= 0;
}

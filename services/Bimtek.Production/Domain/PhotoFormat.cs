namespace Bimtek.Production.Domain;

/// <summary>The three image formats a photo may arrive in (what phone cameras and browsers produce).</summary>
public enum PhotoFormat
{
    Jpeg,
    Png,
    Webp,
}

/// <summary>
/// Content types and magic bytes of <see cref="PhotoFormat"/>. Rule: a photo's type is what its first bytes say,
/// never only what the caller declares; the declared type must name the same format (a PNG sent as
/// <c>image/jpeg</c> is refused). Signatures: JPEG <c>FF D8 FF</c>; PNG <c>89 50 4E 47 0D 0A 1A 0A</c>;
/// WebP <c>RIFF</c> + 4 length bytes + <c>WEBP</c>.
/// </summary>
public static class PhotoFormats
{
    public const string JpegType = "image/jpeg";
    public const string PngType = "image/png";
    public const string WebpType = "image/webp";

    public static readonly IReadOnlyList<string> ContentTypes = [JpegType, PngType, WebpType];

    private static readonly byte[] _png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static string ContentType(PhotoFormat format) => format switch
    {
        PhotoFormat.Jpeg => JpegType,
        PhotoFormat.Png => PngType,
        PhotoFormat.Webp => WebpType,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The format a <c>Content-Type</c> header names (parameters and case ignored; <c>image/jpg</c> accepted), or null.</summary>
    public static PhotoFormat? FromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        var media = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        return media switch
        {
            JpegType or "image/jpg" => PhotoFormat.Jpeg,
            PngType => PhotoFormat.Png,
            WebpType => PhotoFormat.Webp,
            _ => null,
        };
    }

    /// <summary>The format the leading bytes carry, or null when they are none of the three.</summary>
    public static PhotoFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return PhotoFormat.Jpeg;
        }
        if (bytes.StartsWith(_png))
        {
            return PhotoFormat.Png;
        }
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return PhotoFormat.Webp;
        }
        return null;
    }
}

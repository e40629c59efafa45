using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Production.Domain;

/// <summary>The two video formats a lesson video may be (what phones' browsers play without a plug-in).</summary>
public enum VideoFormat
{
    Mp4,
    Webm,
}

/// <summary>
/// Content types and magic bytes of <see cref="VideoFormat"/>. Rule, as for photos: the declared type must name the
/// format the first bytes carry. Signatures: MP4 (ISO base media) has <c>ftyp</c> at bytes 4–7 (the first box);
/// WebM (Matroska/EBML) starts <c>1A 45 DF A3</c>.
/// </summary>
public static class VideoFormats
{
    public const string Mp4Type = "video/mp4";
    public const string WebmType = "video/webm";

    public static readonly IReadOnlyList<string> ContentTypes = [Mp4Type, WebmType];

    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int SniffLength = 8;

    public static string ContentType(VideoFormat format) => format switch
    {
        VideoFormat.Mp4 => Mp4Type,
        VideoFormat.Webm => WebmType,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The format a <c>Content-Type</c> header names (parameters such as codecs and case ignored), or null.</summary>
    public static VideoFormat? FromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        return contentType.Split(';', 2)[0].Trim().ToLowerInvariant() switch
        {
            Mp4Type => VideoFormat.Mp4,
            WebmType => VideoFormat.Webm,
            _ => null,
        };
    }

    /// <summary>The format the leading bytes carry, or null when they are neither.</summary>
    public static VideoFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 8 && bytes[4] == (byte)'f' && bytes[5] == (byte)'t' && bytes[6] == (byte)'y' && bytes[7] == (byte)'p')
        {
            return VideoFormat.Mp4;
        }
        if (bytes.Length >= 4 && bytes[0] == 0x1A && bytes[1] == 0x45 && bytes[2] == 0xDF && bytes[3] == 0xA3)
        {
            return VideoFormat.Webm;
        }
        return null;
    }

    public static string Extension(string contentType) => contentType == WebmType ? ".webm" : ".mp4";
}

/// <summary>
/// What an uploaded lesson video must be, checked in this order so that nothing is stored for a refused one:
/// <list type="number">
/// <item>the declared <c>Content-Type</c> is <c>video/mp4</c> or <c>video/webm</c> (else 415 VIDEO_TYPE_NOT_SUPPORTED);</item>
/// <item>the declared length, then the bytes read, are at most <c>Videos:MaxUploadBytes</c> (else 413 VIDEO_TOO_LARGE);
/// an empty body is 400 VIDEO_UNREADABLE;</item>
/// <item>the magic bytes name the declared format (else 415 VIDEO_CONTENT_TYPE_MISMATCH).</item>
/// </list>
/// The video is kept as sent (it is not decoded or re-encoded: that is the office's tool's job).
/// </summary>
public static class VideoRules
{
    public static VideoFormat DeclaredFormat(string? contentType) =>
        VideoFormats.FromContentType(contentType)
        ?? throw new PhotoRefusedException(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument, Reasons.VideoTypeNotSupported,
            $"A lesson video must be sent as {string.Join(" or ", VideoFormats.ContentTypes)}; the Content-Type was '{Shorten(contentType)}'.");

    public static void CheckLength(long? length, long maxBytes)
    {
        if (length > maxBytes)
        {
            throw new PhotoRefusedException(StatusCodes.Status413PayloadTooLarge, StatusCode.InvalidArgument, Reasons.VideoTooLarge,
                $"The video is larger than {maxBytes / (1024 * 1024)} MiB (Videos:MaxUploadBytes); make it smaller (a lower resolution or bit rate) and send it again.");
        }
    }

    /// <summary>Checks the body's length and leading bytes against the declared format.</summary>
    public static void CheckBody(VideoFormat declared, long length, ReadOnlySpan<byte> leading)
    {
        if (length == 0)
        {
            throw new PhotoRefusedException(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, Reasons.VideoUnreadable,
                "The request body is empty: send the video file as the body.");
        }
        var sniffed = VideoFormats.Sniff(leading);
        if (sniffed != declared)
        {
            throw new PhotoRefusedException(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument, Reasons.VideoContentTypeMismatch,
                sniffed is { } actual
                    ? $"The body is {VideoFormats.ContentType(actual)}, but the Content-Type says {VideoFormats.ContentType(declared)}."
                    : $"The body is not an MP4 or WebM video, although the Content-Type says {VideoFormats.ContentType(declared)}.");
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80];
}

/// <summary>A <c>Range</c> no byte of the video satisfies: 416 with <c>Content-Range: bytes */{length}</c>.</summary>
public sealed class RangeNotSatisfiableException(long length, string range)
    : DomainException(StatusCode.OutOfRange, Reasons.RangeNotSatisfiable,
        $"The range '{(range.Length <= 80 ? range : range[..80])}' asks for no byte of this video, which is {length} bytes long.")
{
    public long Length { get; } = length;
}

/// <summary>What a <c>Range</c> header asks of a resource of known length.</summary>
public readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length - 1;
}

/// <summary>The answer a <c>Range</c> header calls for: the whole resource (200), one part (206), or none (416).</summary>
public enum RangeOutcome
{
    Whole,
    Partial,
    Unsatisfiable,
}

/// <summary>
/// HTTP range requests (RFC 9110 §14) for one resource of <c>length</c> bytes, as a pure function.
/// <list type="bullet">
/// <item>No <c>Range</c> header, a unit other than <c>bytes</c>, a header that does not parse (b &lt; a among them: an
/// invalid range), or more than one range → the whole resource (200): a server ignores a Range it does not support,
/// and one range is what players ask.</item>
/// <item><c>bytes=a-b</c> → a..min(b, length-1); <c>bytes=a-</c> → a..end; <c>bytes=-n</c> → the last n bytes
/// (all of them when n ≥ length).</item>
/// <item>A first byte at or past the end (<c>a ≥ length</c>) or a suffix of 0 → 416 with
/// <c>Content-Range: bytes */length</c>. An empty resource satisfies no range.</item>
/// </list>
/// </summary>
public static class ByteRanges
{
    public static (RangeOutcome Outcome, ByteRange Range) Evaluate(string? rangeHeader, long length)
    {
        var whole = (RangeOutcome.Whole, new ByteRange(0, length));
        if (string.IsNullOrWhiteSpace(rangeHeader))
        {
            return whole;
        }
        var header = rangeHeader.Trim();
        const string Unit = "bytes=";
        if (!header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            return whole;
        }
        var spec = header[Unit.Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return whole;
        }
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return whole;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        var unsatisfiable = (RangeOutcome.Unsatisfiable, default(ByteRange));
        if (first.Length == 0)
        {
            if (!TryDigits(last, out var suffix))
            {
                return whole;
            }
            if (suffix == 0 || length == 0)
            {
                return unsatisfiable;
            }
            var take = Math.Min(suffix, length);
            return (RangeOutcome.Partial, new ByteRange(length - take, take));
        }
        if (!TryDigits(first, out var start))
        {
            return whole;
        }
        long end;
        if (last.Length == 0)
        {
            end = length - 1;
        }
        else if (!TryDigits(last, out end))
        {
            return whole;
        }
        else if (end < start)
        {
            return whole;
        }
        if (start >= length)
        {
            return unsatisfiable;
        }
        end = Math.Min(end, length - 1);
        return (RangeOutcome.Partial, new ByteRange(start, end - start + 1));
    }

    /// <summary>Digits only (no sign, no spaces inside), within a long.</summary>
    private static bool TryDigits(string text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 18 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        value = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}

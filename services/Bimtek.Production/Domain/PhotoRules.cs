using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Production.Domain;

/// <summary>Limits of an uploaded photo (<c>Photos:*</c>): bytes and pixels in, sizes of the versions kept.</summary>
public sealed record PhotoLimits(long MaxBytes, long MaxPixels, int DisplayLongEdge, int ThumbLongEdge)
{
    public static readonly PhotoLimits Default = new(10 * 1024 * 1024, 50_000_000, 1280, 320);
}

/// <summary>
/// A photo (or lesson video) refused before anything is stored: the HTTP status names the kind (415 type, 413 size, 400 unreadable),
/// the gRPC code and reason say the same to a program, and a <c>BadRequest</c> field violation names the body.
/// </summary>
public sealed class PhotoRefusedException(int httpStatus, StatusCode code, string reason, string message)
    : DomainException(code, reason, message)
{
    public int HttpStatus { get; } = httpStatus;

    public override IEnumerable<Google.Protobuf.IMessage> Details()
    {
        var badRequest = new Google.Rpc.BadRequest();
        badRequest.FieldViolations.Add(new Google.Rpc.BadRequest.Types.FieldViolation { Field = "body", Description = Message });
        yield return badRequest;
    }
}

/// <summary>
/// What an uploaded photo must be, checked in this order so that the cheapest check refuses first and nothing is
/// stored for a refused photo:
/// <list type="number">
/// <item>the declared <c>Content-Type</c> is JPEG, PNG or WebP (else 415 PHOTO_TYPE_NOT_SUPPORTED);</item>
/// <item>the body is not empty and at most <see cref="PhotoLimits.MaxBytes"/> (else 413 PHOTO_TOO_LARGE, 400 for empty);</item>
/// <item>its magic bytes name the declared format (else 415 PHOTO_CONTENT_TYPE_MISMATCH);</item>
/// <item>after the header is read: at most <see cref="PhotoLimits.MaxPixels"/> pixels, so a small file cannot
/// decode into gigabytes (else 413 PHOTO_DIMENSIONS_TOO_LARGE); a body that does not decode is 400 PHOTO_UNREADABLE.</item>
/// </list>
/// Photos attached to a report or an inspection must belong to its programme and, when the photo names a
/// trainee, to the same trainee (<see cref="CheckAttachment"/>).
/// </summary>
public static class PhotoRules
{
    public static PhotoFormat DeclaredFormat(string? contentType) =>
        PhotoFormats.FromContentType(contentType)
        ?? throw new PhotoRefusedException(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument, Reasons.PhotoTypeNotSupported,
            $"A photo must be sent as {string.Join(", ", PhotoFormats.ContentTypes)}; the Content-Type was '{Shorten(contentType)}'.");

    public static void CheckDeclaredLength(long? contentLength, PhotoLimits limits)
    {
        if (contentLength > limits.MaxBytes)
        {
            throw TooLarge(limits);
        }
    }

    public static PhotoFormat CheckBody(PhotoFormat declared, ReadOnlySpan<byte> body, PhotoLimits limits)
    {
        if (body.Length == 0)
        {
            throw new PhotoRefusedException(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, Reasons.PhotoUnreadable,
                "The request body is empty: send the image bytes as the body.");
        }
        if (body.Length > limits.MaxBytes)
        {
            throw TooLarge(limits);
        }
        var sniffed = PhotoFormats.Sniff(body);
        if (sniffed != declared)
        {
            throw new PhotoRefusedException(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument, Reasons.PhotoContentTypeMismatch,
                sniffed is { } actual
                    ? $"The body is {PhotoFormats.ContentType(actual)}, but the Content-Type says {PhotoFormats.ContentType(declared)}."
                    : $"The body is not a JPEG, PNG or WebP image, although the Content-Type says {PhotoFormats.ContentType(declared)}.");
        }
        return declared;
    }

    public static void CheckDimensions(int width, int height, PhotoLimits limits)
    {
        if (width <= 0 || height <= 0)
        {
            throw Unreadable();
        }
        if ((long)width * height > limits.MaxPixels)
        {
            throw new PhotoRefusedException(StatusCodes.Status413PayloadTooLarge, StatusCode.InvalidArgument, Reasons.PhotoDimensionsTooLarge,
                $"The image is {width}×{height} pixels; at most {limits.MaxPixels / 1_000_000} megapixels are accepted.");
        }
    }

    public static PhotoRefusedException Unreadable() =>
        new(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, Reasons.PhotoUnreadable,
            "The image could not be decoded: send a complete JPEG, PNG or WebP file.");

    /// <summary>
    /// The size that fits <paramref name="longEdge"/> on the longer side, keeping the aspect ratio; never larger
    /// than the source, never zero.
    /// </summary>
    public static (int Width, int Height) Fit(int width, int height, int longEdge)
    {
        var longest = Math.Max(width, height);
        if (longest <= longEdge)
        {
            return (width, height);
        }
        var scale = (double)longEdge / longest;
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>
    /// A photo may be attached to a record of <paramref name="programmeId"/> about <paramref name="traineeId"/> iff it
    /// was uploaded for that programme and either names that trainee or no trainee (a staff photo of the programme).
    /// A trainee's own report takes only that trainee's photos. Returns the violated reason, or null.
    /// </summary>
    public static string? CheckAttachment(string photoProgrammeId, string photoTraineeId, string programmeId, string traineeId, bool traineeReports)
    {
        if (!string.Equals(photoProgrammeId, programmeId, StringComparison.Ordinal))
        {
            return Reasons.PhotoNotOfProgramme;
        }
        if (photoTraineeId.Length == 0)
        {
            return traineeReports ? Reasons.PhotoNotOfTrainee : null;
        }
        return string.Equals(photoTraineeId, traineeId, StringComparison.Ordinal) ? null : Reasons.PhotoNotOfTrainee;
    }

    private static PhotoRefusedException TooLarge(PhotoLimits limits) =>
        new(StatusCodes.Status413PayloadTooLarge, StatusCode.InvalidArgument, Reasons.PhotoTooLarge,
            $"The photo is larger than {limits.MaxBytes / (1024 * 1024)} MiB; send a smaller one (the app resizes before sending).");

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80];
}

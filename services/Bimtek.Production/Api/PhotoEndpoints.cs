using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Api;

/// <summary>
/// The photo endpoints: plain HTTP, because a photo is raw bytes and gRPC JSON transcoding would carry them
/// base64 inside JSON. Same authentication as every route (the gateway's signed token), the suite's error body.
/// <list type="bullet">
/// <item><c>POST /api/v1/programmes/{programmeId}/photos?requestId={uuid}[&amp;traineeId={id}]</c>, body the image
/// (<c>image/jpeg</c>, <c>image/png</c>, <c>image/webp</c>) → 201 <c>{photoId, contentType, width, height, bytes, …}</c>;
/// the same requestId and upload again → the same answer.</item>
/// <item><c>GET /api/v1/photos/{photoId}[?size=thumb]</c> → the display version (or thumbnail), private to who may
/// read the trainee's reports.</item>
/// </list>
/// </summary>
internal static class PhotoEndpoints
{
    public const string UploadPattern = "/api/v1/programmes/{programmeId}/photos";
    public const string ReadPattern = "/api/v1/photos/{photoId}";

    public static IEndpointRouteBuilder MapPhotoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(UploadPattern, UploadAsync).RequireAuthorization().WithName("UploadPhoto");
        app.MapGet(ReadPattern, ReadAsync).RequireAuthorization().WithName("GetPhoto");
        return app;
    }

    private static Task UploadAsync(HttpContext context, string programmeId, PhotoLibrary library, ILogger<PhotoLibrary> logger) =>
        MediaHttp.HandleAsync(context, logger, async () =>
        {
            var query = context.Request.Query;
            var requestId = query["requestId"].ToString();
            var traineeId = query["traineeId"].ToString();
            new RequestValidator()
                .RequestId(requestId, "requestId")
                .Id("programmeId", programmeId)
                .When(traineeId.Length > 0 && !Guid.TryParse(traineeId, out _), "traineeId", "must be a person id")
                .When(query.Keys.Any(k => k is not ("requestId" or "traineeId")), "query", "only requestId and traineeId are accepted")
                .When(query["requestId"].Count > 1 || query["traineeId"].Count > 1, "query", "each parameter once")
                .ThrowIfInvalid();
            var caller = Caller.From(context.User).Require(Access.PhotoUploaders);
            var limits = library.Limits;
            // Type and declared size before a byte is read: a wrong upload is refused at once.
            PhotoRules.DeclaredFormat(context.Request.ContentType);
            PhotoRules.CheckDeclaredLength(context.Request.ContentLength, limits);
            // A photo is at most a few MiB and is decoded whole: it is read into memory.
            using var body = new MemoryStream();
            await MediaHttp.ReadBodyAsync(context, limits.MaxBytes, length => PhotoRules.CheckDeclaredLength(length, limits), (chunk, _) =>
            {
                body.Write(chunk.Span);
                return ValueTask.CompletedTask;
            });
            var row = await library.UploadAsync(caller, new PhotoUpload(requestId, programmeId, traineeId, context.Request.ContentType, body.ToArray()),
                context.RequestAborted);
            await MediaHttp.CreatedAsync(context, $"/api/v1/photos/{row.PhotoId}", ToJson(row));
        });

    private static Task ReadAsync(HttpContext context, string photoId, PhotoLibrary library, ILogger<PhotoLibrary> logger) =>
        MediaHttp.HandleAsync(context, logger, async () =>
        {
            var query = context.Request.Query;
            var size = query["size"].ToString();
            new RequestValidator()
                .Id("photoId", photoId)
                .When(size is not ("" or "display" or "thumb"), "size", "must be display or thumb")
                .When(query.Keys.Any(k => k != "size"), "query", "only size is accepted")
                .ThrowIfInvalid();
            var caller = Caller.From(context.User);
            var thumb = size == "thumb";
            var (row, bytes) = await library.OpenAsync(caller, photoId, thumb, context.RequestAborted);
            var etag = $"\"{row.PhotoId}-{(thumb ? "thumb" : "display")}\"";
            MediaHttp.PrivateMediaHeaders(context.Response, $"{row.PhotoId}{Extension(row.ContentType)}", etag);
            if (context.Request.Headers.IfNoneMatch.Any(v => v == etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            context.Response.ContentType = row.ContentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        });

    /// <summary>The upload's answer; a replay builds it from the same row, so it is the same answer.</summary>
    public static object ToJson(PhotoRow row) => new
    {
        photoId = row.PhotoId,
        programmeId = row.ProgrammeId,
        traineeId = row.TraineeId,
        contentType = row.ContentType,
        width = row.Width,
        height = row.Height,
        bytes = row.Bytes,
        url = $"/api/v1/photos/{row.PhotoId}",
        thumbnailUrl = $"/api/v1/photos/{row.PhotoId}?size=thumb",
    };

    private static string Extension(string contentType) => contentType switch
    {
        PhotoFormats.PngType => ".png",
        PhotoFormats.WebpType => ".webp",
        _ => ".jpg",
    };
}

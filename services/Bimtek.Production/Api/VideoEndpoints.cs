using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Api;

/// <summary>
/// Lesson videos served by the suite: plain HTTP like the photos (raw bytes; a player reads them by byte range).
/// <list type="bullet">
/// <item><c>POST /api/v1/programmes/{programmeId}/videos?requestId={uuid}</c>, body the video (<c>video/mp4</c>,
/// <c>video/webm</c>, at most <c>Videos:MaxUploadBytes</c>) → 201 <c>{videoId, programmeId, contentType, bytes, url}</c>;
/// the same requestId and upload again → the same answer. A lesson then names <c>url</c> as its video.</item>
/// <item><c>GET /api/v1/videos/{videoId}</c> → the video for the programme's people, with HTTP range requests: one
/// <c>Range: bytes=…</c> → 206 and <c>Content-Range</c>; a range past the end → 416 with <c>Content-Range: bytes */length</c>;
/// <c>If-None-Match</c> with the ETag → 304; <c>If-Range</c> with another tag → the whole video.</item>
/// </list>
/// </summary>
internal static class VideoEndpoints
{
    public const string UploadPattern = "/api/v1/programmes/{programmeId}/videos";
    public const string ReadPattern = "/api/v1/videos/{videoId}";

    public static IEndpointRouteBuilder MapVideoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(UploadPattern, UploadAsync).RequireAuthorization().WithName("UploadLessonVideo");
        app.MapGet(ReadPattern, ReadAsync).RequireAuthorization().WithName("GetLessonVideo");
        return app;
    }

    private static Task UploadAsync(HttpContext context, string programmeId, VideoLibrary library, IOptions<VideoOptions> options,
        ILogger<VideoLibrary> logger) =>
        MediaHttp.HandleAsync(context, logger, async () =>
        {
            var query = context.Request.Query;
            var requestId = query["requestId"].ToString();
            new RequestValidator()
                .RequestId(requestId, "requestId")
                .Id("programmeId", programmeId)
                .When(query.Keys.Any(k => k != "requestId"), "query", "only requestId is accepted")
                .When(query["requestId"].Count > 1, "query", "each parameter once")
                .ThrowIfInvalid();
            var caller = Caller.From(context.User).Require(Access.VideoUploaders);
            var maxBytes = library.MaxUploadBytes;
            // Type and declared size before a byte is read: a wrong upload is refused at once.
            VideoRules.DeclaredFormat(context.Request.ContentType);
            VideoRules.CheckLength(context.Request.ContentLength, maxBytes);
            // A video is spooled to a file while it arrives, never held in memory; the file is removed in any case.
            await using var spool = UploadSpool.Create(options.Value.SpoolFolder, "bimtek-video", VideoFormats.SniffLength);
            await MediaHttp.ReadBodyAsync(context, maxBytes, length => VideoRules.CheckLength(length, maxBytes), spool.WriteAsync);
            await spool.CompleteAsync();
            var row = await library.UploadAsync(caller, new VideoUpload(requestId, programmeId, context.Request.ContentType, spool), context.RequestAborted);
            await MediaHttp.CreatedAsync(context, UrlOf(row.VideoId), ToJson(row));
        });

    private static Task ReadAsync(HttpContext context, string videoId, VideoLibrary library, ILogger<VideoLibrary> logger) =>
        MediaHttp.HandleAsync(context, logger, async () =>
        {
            new RequestValidator()
                .Id("videoId", videoId)
                .When(context.Request.Query.Count > 0, "query", "no query parameters are accepted")
                .ThrowIfInvalid();
            var caller = Caller.From(context.User);
            var row = await library.FindForViewerAsync(caller, videoId, context.RequestAborted);
            var request = context.Request;
            var response = context.Response;
            // A video's bytes never change under its id: the id is its version.
            var etag = $"\"{row.VideoId}\"";
            MediaHttp.PrivateMediaHeaders(response, $"{row.VideoId}{VideoFormats.Extension(row.ContentType)}", etag);
            response.Headers.AcceptRanges = "bytes";
            if (request.Headers.IfNoneMatch.SelectMany(v => (v ?? "").Split(',')).Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag || t == "*"))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            var ifRange = request.Headers.IfRange.ToString();
            var rangeHeader = ifRange.Length == 0 || ifRange == etag ? request.Headers.Range.ToString() : null;
            var (outcome, range) = ByteRanges.Evaluate(rangeHeader, row.Bytes);
            if (outcome == RangeOutcome.Unsatisfiable)
            {
                throw new RangeNotSatisfiableException(row.Bytes, rangeHeader ?? "");
            }
            await using var bytes = await library.OpenAsync(row, range, context.RequestAborted);
            response.ContentType = row.ContentType;
            response.ContentLength = range.Length;
            if (outcome == RangeOutcome.Partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {range.Start}-{range.End}/{row.Bytes}";
            }
            await CopyAsync(bytes, response.Body, range.Length, context.RequestAborted);
        });

    private static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0)
            {
                throw new IOException("The media store's video ended before its recorded length.");
            }
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            count -= read;
        }
    }

    public static string UrlOf(string videoId) => $"/api/v1/videos/{videoId}";

    /// <summary>The upload's answer; a replay builds it from the same row, so it is the same answer.</summary>
    public static object ToJson(VideoRow row) => new
    {
        videoId = row.VideoId,
        programmeId = row.ProgrammeId,
        contentType = row.ContentType,
        bytes = row.Bytes,
        url = UrlOf(row.VideoId),
    };
}

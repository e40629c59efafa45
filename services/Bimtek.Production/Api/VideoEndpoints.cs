using System.Security.Cryptography;
using System.Text.Json;
using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Features;
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

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapVideoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(UploadPattern, UploadAsync).RequireAuthorization().WithName("UploadLessonVideo");
        app.MapGet(ReadPattern, ReadAsync).RequireAuthorization().WithName("GetLessonVideo");
        return app;
    }

    private static async Task UploadAsync(HttpContext context, string programmeId, VideoLibrary library, IOptions<VideoOptions> options,
        ILogger<VideoLibrary> logger)
    {
        string? spool = null;
        try
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
            // Type and declared size before a byte is read: a wrong upload is refused at once.
            VideoRules.DeclaredFormat(context.Request.ContentType);
            VideoRules.CheckLength(context.Request.ContentLength, library.MaxUploadBytes);
            var folder = string.IsNullOrEmpty(options.Value.SpoolDirectory) ? Path.GetTempPath() : options.Value.SpoolDirectory;
            Directory.CreateDirectory(folder);
            spool = Path.Combine(folder, $"bimtek-video-{Guid.NewGuid():N}.part");
            var upload = await SpoolAsync(context, spool, library.MaxUploadBytes, requestId, programmeId);
            var row = await library.UploadAsync(caller, upload, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.Location = UrlOf(row.VideoId);
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(ToJson(row), _json, context.RequestAborted);
        }
        catch (Exception ex)
        {
            await HttpErrors.WriteAsync(context, ex, logger);
        }
        finally
        {
            if (spool is not null)
            {
                File.Delete(spool);
            }
        }
    }

    private static async Task ReadAsync(HttpContext context, string videoId, VideoLibrary library, ILogger<VideoLibrary> logger)
    {
        try
        {
            new RequestValidator()
                .Id("videoId", videoId)
                .When(context.Request.Query.Count > 0, "query", "no query parameters are accepted")
                .ThrowIfInvalid();
            var caller = Caller.From(context.User);
            var row = await library.FindForViewerAsync(caller, videoId, context.RequestAborted);
            var request = context.Request;
            var response = context.Response;
            var headers = response.Headers;
            // Only for the person's own browser (or the field app's offline copy); bytes of a video, never a page.
            headers.CacheControl = "private, max-age=86400";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.ContentDisposition = $"inline; filename=\"{row.VideoId}{VideoFormats.Extension(row.ContentType)}\"";
            headers.AcceptRanges = "bytes";
            // A video's bytes never change under its id: the id is its version.
            var etag = $"\"{row.VideoId}\"";
            headers.ETag = etag;
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
                headers.ContentRange = $"bytes {range.Start}-{range.End}/{row.Bytes}";
            }
            await CopyAsync(bytes, response.Body, range.Length, context.RequestAborted);
        }
        catch (Exception ex)
        {
            await HttpErrors.WriteAsync(context, ex, logger);
        }
    }

    /// <summary>
    /// Writes the body to the spool file up to the limit (one byte more is refused as too large: a chunked body has no
    /// declared length), hashing it and keeping its leading bytes for the type check.
    /// </summary>
    private static async Task<VideoUpload> SpoolAsync(HttpContext context, string spool, long maxBytes, string requestId, string programmeId)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var leading = new byte[VideoFormats.SniffLength];
        var leadingCount = 0;
        long total = 0;
        await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await ReadChunkAsync(context, chunk, maxBytes)) > 0)
            {
                total += read;
                VideoRules.CheckLength(total, maxBytes);
                var take = Math.Min(read, leading.Length - leadingCount);
                if (take > 0)
                {
                    Array.Copy(chunk, 0, leading, leadingCount, take);
                    leadingCount += take;
                }
                sha.AppendData(chunk, 0, read);
                await file.WriteAsync(chunk.AsMemory(0, read), context.RequestAborted);
            }
        }
        return new VideoUpload(requestId, programmeId, context.Request.ContentType, spool, total,
            Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant(), leading[..leadingCount]);
    }

    /// <summary>One read of the body; Kestrel's own limit (one byte past ours) is answered with the video's reason.</summary>
    private static async Task<int> ReadChunkAsync(HttpContext context, byte[] chunk, long maxBytes)
    {
        try
        {
            return await context.Request.Body.ReadAsync(chunk, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            VideoRules.CheckLength(maxBytes + 1, maxBytes);
            throw;
        }
    }

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

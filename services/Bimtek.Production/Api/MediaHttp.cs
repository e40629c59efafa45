using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Bimtek.Production.Api;

/// <summary>
/// What the photo and lesson video endpoints (<see cref="PhotoEndpoints"/>, <see cref="VideoEndpoints"/>) share: plain
/// HTTP handlers whose every failure is answered in the suite's error shape (<see cref="HttpErrors"/>), an upload's
/// body read within its limit, the 201 of an upload, and the headers of private media bytes.
/// </summary>
internal static class MediaHttp
{
    private const int ChunkSize = 81920;
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs a handler; whatever it throws is answered as the gRPC error interceptor would (<see cref="HttpErrors"/>).</summary>
    public static async Task HandleAsync(HttpContext context, ILogger logger, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception ex)
        {
            await HttpErrors.WriteAsync(context, ex, logger);
        }
    }

    /// <summary>
    /// Passes the request body to <paramref name="sink"/> chunk by chunk (never all of it at once) up to
    /// <paramref name="maxBytes"/>: <paramref name="checkLength"/> (the media's own 413 refusal) refuses one byte more —
    /// counted as it arrives, since a chunked body declares no length, and also when Kestrel, whose limit is set one byte
    /// past ours, refuses first. Returns the body's length.
    /// </summary>
    public static async Task<long> ReadBodyAsync(HttpContext context, long maxBytes, Action<long> checkLength,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }
        var chunk = new byte[ChunkSize];
        long total = 0;
        int read;
        while ((read = await ReadChunkAsync(context, chunk, maxBytes, checkLength)) > 0)
        {
            total += read;
            checkLength(total);
            await sink(chunk.AsMemory(0, read), context.RequestAborted);
        }
        return total;
    }

    /// <summary>201 with the record's URL, never cached, and the upload's answer (a replay builds it from the same row: the same answer).</summary>
    public static Task CreatedAsync(HttpContext context, string location, object answer)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = location;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(answer, _json, context.RequestAborted);
    }

    /// <summary>
    /// The headers of media bytes: only for the person's own browser (or the field app's offline copy), bytes of an image
    /// or a video and never a page; the version's tag.
    /// </summary>
    public static void PrivateMediaHeaders(HttpResponse response, string fileName, string etag)
    {
        var headers = response.Headers;
        headers.CacheControl = "private, max-age=86400";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        headers.ETag = etag;
    }

    /// <summary>One read of the body; Kestrel's own limit (one byte past ours) is answered with the media's own reason.</summary>
    private static async Task<int> ReadChunkAsync(HttpContext context, byte[] chunk, long maxBytes, Action<long> checkLength)
    {
        try
        {
            return await context.Request.Body.ReadAsync(chunk, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            checkLength(maxBytes + 1);
            throw;
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bimtek.Production.Tests.Photos;

/// <summary>
/// A local stand-in for an S3-compatible store (no MinIO can be had here): a real HTTP server that keeps objects in
/// memory and checks every request the way AWS documents it — path-style <c>/{bucket}/{key}</c>, a
/// <c>x-amz-content-sha256</c> that is the body's SHA-256, and a SigV4 <c>Authorization</c> header whose signature
/// it recomputes from the canonical request with the secret key. A request that fails a check gets 403
/// SignatureDoesNotMatch and is counted in <see cref="Refused"/>.
/// </summary>
public sealed class S3StandIn : IAsyncDisposable
{
    public const string AccessKey = "BIMTEKTESTACCESSKEY";
    public const string SecretKey = "bimtek-test-secret-key-0123456789";
    public const string Region = "us-east-1";
    public const string Bucket = "bimtek-photos";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _serverLog;

    public ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> Objects { get; } = new();
    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>The ranged GETs: "{key} {Range}".</summary>
    public ConcurrentQueue<string> Ranges { get; } = new();

    private S3StandIn(WebApplication app, ConcurrentQueue<string> serverLog)
    {
        _app = app;
        _serverLog = serverLog;
    }

    /// <summary>What Kestrel logged about connections and bad requests (a request refused before the handler shows here).</summary>
    public string ServerLog() => _serverLog.IsEmpty ? "" : "\nS3 stand-in's server log:\n" + string.Join("\n", _serverLog);

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<S3StandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Nothing from the test's folder or environment: its appsettings.json is production's, whose Kestrel endpoints
        // (an HTTP/2-only gRPC port first) would replace this address — the SDK's HTTP/1.1 PUT then got 400 from Kestrel.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var serverLog = new ConcurrentQueue<string>();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug);
        builder.Logging.AddProvider(new QueueLoggerProvider(serverLog));
        var app = builder.Build();
        var standIn = new S3StandIn(app, serverLog);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        Requests.Enqueue($"{request.Method} {request.Path}");
        if (Check(request, body) is { } problem)
        {
            Refused.Enqueue($"{request.Method} {request.Path}: {problem}");
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<Error><Code>SignatureDoesNotMatch</Code><Message>{problem}</Message></Error>");
            return;
        }
        var path = request.Path.Value!;
        if (!path.StartsWith($"/{Bucket}/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("<Error><Code>NoSuchBucket</Code></Error>");
            return;
        }
        var key = path[(Bucket.Length + 2)..];
        switch (request.Method)
        {
            case "PUT":
                Objects[key] = (body, request.ContentType ?? "");
                context.Response.Headers.ETag = "\"" + Convert.ToHexString(MD5.HashData(body)).ToLowerInvariant() + "\"";
                return;
            case "GET" when Objects.TryGetValue(key, out var stored):
                context.Response.ContentType = stored.ContentType;
                // One range (bytes=first-last), as S3 answers it: 206 with Content-Range.
                if (request.Headers.Range.ToString() is { Length: > 0 } range && range.StartsWith("bytes=", StringComparison.Ordinal))
                {
                    Ranges.Enqueue($"{key} {range}");
                    var parts = range["bytes=".Length..].Split('-');
                    var first = long.Parse(parts[0], CultureInfo.InvariantCulture);
                    var last = Math.Min(long.Parse(parts[1], CultureInfo.InvariantCulture), stored.Bytes.Length - 1);
                    context.Response.StatusCode = 206;
                    context.Response.Headers.ContentRange = $"bytes {first}-{last}/{stored.Bytes.Length}";
                    context.Response.ContentLength = last - first + 1;
                    await context.Response.Body.WriteAsync(stored.Bytes.AsMemory((int)first, (int)(last - first + 1)));
                    return;
                }
                context.Response.ContentLength = stored.Bytes.Length;
                await context.Response.Body.WriteAsync(stored.Bytes);
                return;
            case "GET":
                context.Response.StatusCode = 404;
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
                return;
            case "DELETE":
                Objects.TryRemove(key, out _);
                context.Response.StatusCode = 204;
                return;
            default:
                context.Response.StatusCode = 405;
                return;
        }
    }

    /// <summary>What AWS checks of a SigV4-signed request (docs: "Signature Version 4 signing process", S3 "Authenticating requests").</summary>
    private static string? Check(HttpRequest request, byte[] body)
    {
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash != Hex(SHA256.HashData(body)))
        {
            return $"x-amz-content-sha256 '{payloadHash}' is not the SHA-256 of the body";
        }
        var authorization = request.Headers.Authorization.ToString();
        const string Algorithm = "AWS4-HMAC-SHA256 ";
        if (!authorization.StartsWith(Algorithm, StringComparison.Ordinal))
        {
            return "no AWS4-HMAC-SHA256 Authorization header";
        }
        var parts = authorization[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var credential = parts.GetValueOrDefault("Credential", "").Split('/');
        if (credential.Length != 5 || credential[0] != AccessKey || credential[2] != Region || credential[3] != "s3" || credential[4] != "aws4_request")
        {
            return $"bad credential scope '{parts.GetValueOrDefault("Credential")}'";
        }
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!amzDate.StartsWith(credential[1], StringComparison.Ordinal)
            || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt)
            || Math.Abs((DateTime.UtcNow - signedAt).TotalMinutes) > 15)
        {
            return $"x-amz-date '{amzDate}' missing, not in the scope or not within 15 minutes";
        }
        var signedHeaders = parts.GetValueOrDefault("SignedHeaders", "").Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-content-sha256") || !signedHeaders.Contains("x-amz-date"))
        {
            return "host, x-amz-content-sha256 and x-amz-date must be signed";
        }
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => $"{h}:{HeaderValue(request, h)}\n"));
        var query = string.Join("&", request.Query.SelectMany(q => q.Value.Select(v => (Key: Encode(q.Key), Value: Encode(v ?? ""))))
            .OrderBy(q => q.Key, StringComparer.Ordinal).ThenBy(q => q.Value, StringComparer.Ordinal).Select(q => $"{q.Key}={q.Value}"));
        var path = string.Join("/", (request.Path.Value ?? "/").Split('/').Select(Encode));
        var canonicalRequest = $"{request.Method}\n{path}\n{query}\n{canonicalHeaders}\n{string.Join(";", signedHeaders)}\n{payloadHash}";
        var scope = $"{credential[1]}/{Region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + SecretKey);
        foreach (var part in new[] { credential[1], Region, "s3", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return parts.GetValueOrDefault("Signature") == expected ? null : $"signature does not match; canonical request was:\n{canonicalRequest}";
    }

    private static string HeaderValue(HttpRequest request, string name) =>
        name == "host" ? request.Host.Value ?? "" : string.Join(",", request.Headers[name].Select(v => string.Join(' ', (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))));

    private static string Encode(string segment) =>
        string.Concat(Encoding.UTF8.GetBytes(segment).Select(b =>
            (b is >= (byte)'A' and <= (byte)'Z') || (b is >= (byte)'a' and <= (byte)'z') || (b is >= (byte)'0' and <= (byte)'9') || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                ? ((char)b).ToString()
                : $"%{b:X2}"));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
    }
}

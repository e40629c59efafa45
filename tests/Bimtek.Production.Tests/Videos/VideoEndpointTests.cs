using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bimtek.Production.Tests.Fakes;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests.Videos;

/// <summary>Lesson videos on a real production host (its database, the disk store) with the fakes: upload, ranges, access.</summary>
public sealed class VideoEndpointTests
{
    [Theory, BothDatabases]
    public async Task An_operator_uploads_a_lesson_video_once_and_a_trainee_reads_it_whole_and_by_range(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-videos");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        using var media = new Folder("media");
        using var spool = new Folder("spool");
        await using var host = Start(db, fakes, media, spool);
        using var office = host.CreateHttpClient(TestTokens.Operator());
        var video = TestVideos.Webm(300_000);
        var requestId = Guid.NewGuid().ToString();

        using var first = await UploadAsync(office, p.Id, requestId, video, "video/webm");
        var answer = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, answer);
        var json = JsonDocument.Parse(answer).RootElement;
        var videoId = json.GetProperty("videoId").GetString()!;
        var url = $"/api/v1/videos/{videoId}";
        Assert.Equal(url, json.GetProperty("url").GetString());
        Assert.Equal(url, first.Headers.Location?.OriginalString);
        Assert.Equal("video/webm", json.GetProperty("contentType").GetString());
        Assert.Equal(video.Length, json.GetProperty("bytes").GetInt64());
        Assert.Equal(p.Id, json.GetProperty("programmeId").GetString());

        // Replays, sequential and concurrent, answer the same video; one is stored, and no spooled upload is left behind.
        using (var again = await UploadAsync(office, p.Id, requestId, video, "video/webm"))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
            Assert.Equal(answer, await again.Content.ReadAsStringAsync());
        }
        var concurrentId = Guid.NewGuid().ToString();
        var copies = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var response = await UploadAsync(office, p.Id, concurrentId, video, "video/webm");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("videoId").GetString();
        }));
        Assert.Single(copies.Distinct());
        Assert.Equal(2, await CountVideosAsync(host));
        Assert.Equal(2, media.Files().Length);
        Assert.Empty(spool.Files());
        using (var reused = await UploadAsync(office, p.Id, requestId, TestVideos.Webm(1000), "video/webm"))
        {
            await AssertErrorAsync(reused, HttpStatusCode.BadRequest, "REQUEST_ID_REUSED");
        }

        // Whole: the bytes as uploaded, with what a player and a cache need.
        using var trainee = Http(host, p.Trainees[0], Roles.Trainee);
        using var whole = await trainee.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(video, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/webm", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(video.Length, whole.Content.Headers.ContentLength);
        Assert.Equal("bytes", Assert.Single(whole.Headers.AcceptRanges));
        Assert.Equal("nosniff", whole.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(whole.Headers.CacheControl?.Private);
        var etag = whole.Headers.ETag!;

        // Ranges: first-last, first-, a suffix, and a last byte past the end (cut to the end).
        await AssertRangeAsync(trainee, url, "bytes=0-99", video, 0, 100);
        await AssertRangeAsync(trainee, url, "bytes=1000-", video, 1000, video.Length - 1000);
        await AssertRangeAsync(trainee, url, "bytes=-500", video, video.Length - 500, 500);
        await AssertRangeAsync(trainee, url, $"bytes={video.Length - 10}-{video.Length + 5000}", video, video.Length - 10, 10);

        // A range past the end: 416 with the length; one not understood: the whole video.
        foreach (var unsatisfiable in new[] { $"bytes={video.Length}-", $"bytes={video.Length + 1}-{video.Length + 9}", "bytes=-0" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Range", unsatisfiable);
            using var response = await trainee.SendAsync(request);
            await AssertErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_NOT_SATISFIABLE");
            Assert.Equal($"bytes */{video.Length}", response.Content.Headers.GetValues("Content-Range").Single());
        }
        foreach (var ignored in new[] { "items=0-10", "bytes=0-10,20-30", "bytes=10-5", "bytes=abc" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Range", ignored);
            using var response = await trainee.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{ignored}: {response.StatusCode}");
            Assert.Equal(video.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
        }

        // ETag: If-None-Match → 304; If-Range with the tag honours the range, with another tag sends the whole video.
        using (var cached = new HttpRequestMessage(HttpMethod.Get, url))
        {
            cached.Headers.IfNoneMatch.Add(etag);
            using var notModified = await trainee.SendAsync(cached);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
        using (var sameVersion = new HttpRequestMessage(HttpMethod.Get, url))
        {
            sameVersion.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
            sameVersion.Headers.TryAddWithoutValidation("If-Range", etag.ToString());
            using var response = await trainee.SendAsync(sameVersion);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        }
        using (var otherVersion = new HttpRequestMessage(HttpMethod.Get, url))
        {
            otherVersion.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
            otherVersion.Headers.TryAddWithoutValidation("If-Range", "\"an-older-version\"");
            using var response = await trainee.SendAsync(otherVersion);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(video.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    [Theory, BothDatabases]
    public async Task Only_the_programmes_people_watch_and_only_its_office_and_instructors_upload(DatabaseKind kind)
    {
        const string Hsu = "DISPERINDAGKOP-HSU";
        const string Hst = "DISPERINDAG-HST";
        using var db = await TestDatabase.CreateAsync(kind, "production-video-access");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        p.Programme.Office = Hsu;
        var other = MaskProgramme(fakes, trainees: 1);
        other.Programme.Office = Hsu;
        var leaver = p.Trainees[4];
        p.Programme.Trainees[leaver.Id] = false; // withdrawn: no longer one of the programme's people
        using var media = new Folder("media");
        using var spool = new Folder("spool");
        await using var host = Start(db, fakes, media, spool, new() { ["Offices:Default"] = Hsu });
        var video = TestVideos.Mp4(20_000);

        // Uploads: the programme's instructor and its office's operator; not a trainee, a health expert, another
        // programme's instructor or another office's operator.
        using var instructor = Http(host, p.Instructor, Roles.Instructor);
        using var created = await UploadAsync(instructor, p.Id, Guid.NewGuid().ToString(), video, "video/mp4");
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var url = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
        using var hsu = host.CreateHttpClient(TestTokens.OperatorOf(Hsu));
        using (var operatorUpload = await UploadAsync(hsu, p.Id, Guid.NewGuid().ToString(), video, "video/mp4"))
        {
            Assert.Equal(HttpStatusCode.Created, operatorUpload.StatusCode);
        }
        using var hst = host.CreateHttpClient(TestTokens.OperatorOf(Hst));
        using var trainee = Http(host, p.Trainees[0], Roles.Trainee);
        using var expert = Http(host, p.HealthExpert, Roles.HealthExpert);
        using var otherInstructor = Http(host, other.Instructor, Roles.Instructor);
        foreach (var refused in new[] { trainee, expert, otherInstructor, hst })
        {
            await AssertErrorAsync(await UploadAsync(refused, p.Id, Guid.NewGuid().ToString(), video, "video/mp4"), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        }
        await AssertErrorAsync(await UploadAsync(hsu, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), video, "video/mp4"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(2, await CountVideosAsync(host));

        // Watching: the programme's active trainees, its staff, its office's operators.
        using var classmate = Http(host, p.Trainees[1], Roles.Trainee);
        foreach (var reader in new[] { trainee, classmate, instructor, expert, hsu })
        {
            using var response = await reader.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(video, await response.Content.ReadAsByteArrayAsync());
        }
        using var anonymous = host.CreateHttpClient();
        await AssertErrorAsync(await anonymous.GetAsync(url), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        using var stranger = Http(host, other.Trainees[0], Roles.Trainee);
        using var withdrawn = Http(host, leaver, Roles.Trainee);
        foreach (var refused in new[] { stranger, withdrawn, otherInstructor, hst })
        {
            await AssertErrorAsync(await refused.GetAsync(url), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        }
        // A trainee cannot tell an unknown video from another programme's; an operator learns that it does not exist.
        var unknown = $"/api/v1/videos/{Guid.NewGuid()}";
        await AssertErrorAsync(await trainee.GetAsync(unknown), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await AssertErrorAsync(await hsu.GetAsync(unknown), HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertErrorAsync(await hsu.GetAsync("/api/v1/videos/not-a-uuid"), HttpStatusCode.BadRequest, "MALFORMED_ID");
    }

    [Fact]
    public async Task Wrong_type_mismatched_bytes_too_big_and_empty_uploads_are_refused_and_nothing_is_stored()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-video-limits");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        using var media = new Folder("media");
        using var spool = new Folder("spool");
        await using var host = Start(db, fakes, media, spool, new() { ["Videos:MaxUploadBytes"] = "50000" });
        using var office = host.CreateHttpClient(TestTokens.Operator());
        var callsBefore = fakes.Participants.Calls;

        await AssertErrorAsync(await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), TestVideos.Mp4(1000), "video/quicktime"),
            HttpStatusCode.UnsupportedMediaType, "VIDEO_TYPE_NOT_SUPPORTED", "video/mp4 or video/webm");
        await AssertErrorAsync(await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), TestVideos.Mp4(1000), null),
            HttpStatusCode.UnsupportedMediaType, "VIDEO_TYPE_NOT_SUPPORTED");
        await AssertErrorAsync(await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), TestVideos.Webm(1000), "video/mp4"),
            HttpStatusCode.UnsupportedMediaType, "VIDEO_CONTENT_TYPE_MISMATCH", "The body is video/webm");
        await AssertErrorAsync(await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), "<html><script>alert(1)</script>"u8.ToArray(), "video/webm"),
            HttpStatusCode.UnsupportedMediaType, "VIDEO_CONTENT_TYPE_MISMATCH");
        await AssertErrorAsync(await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), TestVideos.Mp4(50_001), "video/mp4"),
            HttpStatusCode.RequestEntityTooLarge, "VIDEO_TOO_LARGE", "larger than");
        // A chunked body declares no length: it is refused once more than the limit has arrived.
        using (var chunked = new StreamContent(new MemoryStream(TestVideos.Mp4(60_000))))
        {
            chunked.Headers.ContentType = MediaTypeHeaderValue.Parse("video/mp4");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/programmes/{p.Id}/videos?requestId={Guid.NewGuid()}") { Content = chunked };
            request.Headers.TransferEncodingChunked = true;
            await AssertErrorAsync(await office.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "VIDEO_TOO_LARGE");
        }
        await AssertErrorAsync(await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), [], "video/mp4"),
            HttpStatusCode.BadRequest, "VIDEO_UNREADABLE");
        await AssertErrorAsync(await UploadAsync(office, p.Id, "", TestVideos.Mp4(1000), "video/mp4"), HttpStatusCode.BadRequest, "FIELD_REQUIRED", "requestId");

        Assert.Equal(0, await CountVideosAsync(host));
        Assert.Empty(media.Files());
        Assert.Empty(spool.Files());
        // Refused for what the bytes are before anyone else is asked.
        Assert.Equal(callsBefore, fakes.Participants.Calls);
    }

    internal static ServiceHost<Program> Start(TestDatabase db, FakeSuite fakes, Folder media, Folder spool, Dictionary<string, string?>? extra = null)
    {
        var configuration = new Dictionary<string, string?> { ["Photos:Directory"] = media.Path, ["Videos:SpoolDirectory"] = spool.Path };
        foreach (var (key, value) in extra ?? [])
        {
            configuration[key] = value;
        }
        return StartProduction(db, fakes, configuration: configuration);
    }

    internal static HttpClient Http(TestHost host, Person person, string role) => host.CreateHttpClient(TestTokens.Mint(person.Subject, role));

    internal static Task<HttpResponseMessage> UploadAsync(HttpClient client, string programmeId, string requestId, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return client.PostAsync($"/api/v1/programmes/{programmeId}/videos?requestId={requestId}", content);
    }

    internal static async Task AssertRangeAsync(HttpClient client, string url, string range, byte[] video, long start, long length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.PartialContent, $"{range}: {response.StatusCode}");
        Assert.Equal($"bytes {start}-{start + length - 1}/{video.Length}", response.Content.Headers.GetValues("Content-Range").Single());
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(video.AsSpan((int)start, (int)length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string reason, string? message = null)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode} instead of {status}: {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonDocument.Parse(body).RootElement;
            Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.TryGetProperty("reason", out var r) && r.GetString() == reason);
            if (message is not null)
            {
                Assert.Contains(message, error.GetProperty("message").GetString());
            }
        }
    }

    private static async Task<long> CountVideosAsync(TestHost host)
    {
        var database = host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM lesson_videos";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A scratch folder under the temporary folder, removed at the end.</summary>
internal sealed class Folder(string name) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bimtek-tests", $"{name}-{Guid.NewGuid():N}");

    public string[] Files() => Directory.Exists(Path) ? Directory.GetFiles(Path, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Bodies with a real container's leading bytes (the service sniffs them; it never decodes a video).</summary>
internal static class TestVideos
{
    /// <summary>An EBML header (WebM's first bytes) and then <paramref name="length"/> bytes in all, each position's own value.</summary>
    public static byte[] Webm(int length) => Fill([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81], length);

    /// <summary>An ISO BMFF <c>ftyp</c> box (MP4's first bytes) and then <paramref name="length"/> bytes in all.</summary>
    public static byte[] Mp4(int length) => Fill([0x00, 0x00, 0x00, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m'], length);

    private static byte[] Fill(byte[] header, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = i < header.Length ? header[i] : (byte)(i * 31 % 251);
        }
        return bytes;
    }
}

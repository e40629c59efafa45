using System.Net;
using System.Text.Json;
using Bimtek.Production.Tests.Fakes;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests.Photos;

/// <summary>The photo endpoints on a real production host (its database, the disk or S3 store) with the fakes.</summary>
public sealed class PhotoEndpointTests() : MediaEndpointTestBase("photos")
{
    [Theory, BothDatabases]
    public async Task A_trainee_uploads_a_photo_with_gps_and_reads_it_back_without_metadata_once_for_every_replay(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-photos");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        using var media = new Folder("media");
        await using var host = Start(db, fakes, media);
        var trainee = p.Trainees[0];
        using var client = Http(host, trainee, Roles.Trainee);
        var original = TestImages.WithGps("image/jpeg", 2000, 1500);
        Assert.NotNull(TestImages.GpsLatitude(original));
        var requestId = Guid.NewGuid().ToString();

        using var first = await UploadAsync(client, p.Id, requestId, original, "image/jpeg");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var answer = await first.Content.ReadAsStringAsync();
        var photo = JsonDocument.Parse(answer).RootElement;
        var photoId = photo.GetProperty("photoId").GetString()!;
        Assert.Equal("image/jpeg", photo.GetProperty("contentType").GetString());
        Assert.Equal(1280, photo.GetProperty("width").GetInt32());
        Assert.Equal(960, photo.GetProperty("height").GetInt32());
        Assert.Equal(trainee.Id, photo.GetProperty("traineeId").GetString());
        Assert.Equal($"/api/v1/photos/{photoId}", first.Headers.Location?.OriginalString);

        // Replays, sequential and concurrent, answer the same photo; one photo is stored.
        using var again = await UploadAsync(client, p.Id, requestId, original, "image/jpeg");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(answer, await again.Content.ReadAsStringAsync());
        var concurrentId = Guid.NewGuid().ToString();
        var copies = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var response = await UploadAsync(client, p.Id, concurrentId, original, "image/jpeg");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("photoId").GetString();
        }));
        Assert.Single(copies.Distinct());
        Assert.Equal(2, await CountRowsAsync(host, "photos"));
        Assert.Equal(4, media.Files().Length); // display + thumbnail of each; the losers' bytes were removed

        // The same request id with other bytes is refused as every call of the suite refuses it.
        using var reused = await UploadAsync(client, p.Id, requestId, TestImages.WithGps("image/jpeg", 300, 200), "image/jpeg");
        await AssertErrorAsync(reused, HttpStatusCode.BadRequest, "REQUEST_ID_REUSED");

        // What comes back: the display version, private, no sniffing, and no trace of where it was taken.
        using var read = await client.GetAsync($"/api/v1/photos/{photoId}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("image/jpeg", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", read.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(read.Headers.CacheControl?.Private);
        var bytes = await read.Content.ReadAsByteArrayAsync();
        Assert.Equal((1280, 960), TestImages.Size(bytes));
        Assert.Null(TestImages.GpsLatitude(bytes));
        Assert.Null(TestImages.Exif(bytes));
        Assert.False(TestImages.Contains(bytes, "TestPhone"));
        Assert.All(media.Files(), f => Assert.Null(TestImages.Exif(File.ReadAllBytes(f))));

        using var thumb = await client.GetAsync($"/api/v1/photos/{photoId}?size=thumb");
        Assert.Equal((320, 240), TestImages.Size(await thumb.Content.ReadAsByteArrayAsync()));

        var cached = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/photos/{photoId}");
        cached.Headers.IfNoneMatch.Add(read.Headers.ETag!);
        using var notModified = await client.SendAsync(cached);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Wrong_type_mismatched_bytes_too_big_and_unreadable_uploads_are_refused_and_nothing_is_stored()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-photo-limits");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        using var media = new Folder("media");
        await using var host = Start(db, fakes, media, extra: new() { ["Photos:MaxUploadBytes"] = "200000" });
        using var client = Http(host, p.Trainees[0], Roles.Trainee);
        var jpeg = TestImages.WithGps("image/jpeg", 300, 200);
        var callsBefore = fakes.Participants.Calls;

        using (var gif = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), jpeg, "image/gif"))
        {
            await AssertErrorAsync(gif, HttpStatusCode.UnsupportedMediaType, "PHOTO_TYPE_NOT_SUPPORTED", "image/jpeg, image/png, image/webp");
        }
        using (var noType = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), jpeg, null))
        {
            await AssertErrorAsync(noType, HttpStatusCode.UnsupportedMediaType, "PHOTO_TYPE_NOT_SUPPORTED");
        }
        using (var mismatch = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), TestImages.WithGps("image/png"), "image/jpeg"))
        {
            await AssertErrorAsync(mismatch, HttpStatusCode.UnsupportedMediaType, "PHOTO_CONTENT_TYPE_MISMATCH", "The body is image/png");
        }
        using (var html = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), "<svg onload=alert(1)>"u8.ToArray(), "image/webp"))
        {
            await AssertErrorAsync(html, HttpStatusCode.UnsupportedMediaType, "PHOTO_CONTENT_TYPE_MISMATCH");
        }
        using (var big = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), [.. jpeg, .. new byte[200_001]], "image/jpeg"))
        {
            await AssertErrorAsync(big, HttpStatusCode.RequestEntityTooLarge, "PHOTO_TOO_LARGE", "larger than");
        }
        using (var junk = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), [0xFF, 0xD8, 0xFF, .. new byte[1000]], "image/jpeg"))
        {
            await AssertErrorAsync(junk, HttpStatusCode.BadRequest, "PHOTO_UNREADABLE");
        }
        using (var noRequestId = await UploadAsync(client, p.Id, "", jpeg, "image/jpeg"))
        {
            await AssertErrorAsync(noRequestId, HttpStatusCode.BadRequest, "FIELD_REQUIRED", "requestId");
        }

        Assert.Equal(0, await CountRowsAsync(host, "photos"));
        Assert.Empty(media.Files());
        // Type and size are refused before anyone is asked; only the unreadable body got as far as the access check.
        Assert.True(fakes.Participants.Calls - callsBefore <= 2);
    }

    [Fact]
    public async Task Only_who_may_read_the_trainees_reports_reads_a_photo()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-photo-access");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        var other = MaskProgramme(fakes, trainees: 1);
        using var media = new Folder("media");
        await using var host = Start(db, fakes, media);
        var owner = p.Trainees[0];
        using var ownerClient = Http(host, owner, Roles.Trainee);
        using var created = await UploadAsync(ownerClient, p.Id, Guid.NewGuid().ToString(), TestImages.WithGps("image/jpeg"), "image/jpeg");
        var photoId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("photoId").GetString();
        var path = $"/api/v1/photos/{photoId}";

        using var anonymous = await host.CreateHttpClient().GetAsync(path);
        await AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        using var classmate = Http(host, p.Trainees[1], Roles.Trainee);
        await AssertErrorAsync(await classmate.GetAsync(path), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        using var stranger = Http(host, other.Trainees[0], Roles.Trainee);
        await AssertErrorAsync(await stranger.GetAsync(path), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        // A trainee cannot tell an unknown id from another's photo; staff learn that it does not exist.
        await AssertErrorAsync(await classmate.GetAsync($"/api/v1/photos/{Guid.NewGuid()}"), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        using var instructor = Http(host, p.Instructor, Roles.Instructor);
        await AssertErrorAsync(await instructor.GetAsync($"/api/v1/photos/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
        using var otherInstructor = Http(host, other.Instructor, Roles.Instructor);
        await AssertErrorAsync(await otherInstructor.GetAsync(path), HttpStatusCode.Forbidden, "PERMISSION_DENIED");

        Assert.Equal(HttpStatusCode.OK, (await ownerClient.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.GetAsync(path)).StatusCode);
        using var expert = Http(host, p.HealthExpert, Roles.HealthExpert);
        Assert.Equal(HttpStatusCode.OK, (await expert.GetAsync(path)).StatusCode);

        // Uploads: a trainee only for themselves and only in their programme; staff for a trainee of theirs.
        var jpeg = TestImages.WithGps("image/jpeg");
        await AssertErrorAsync(await UploadAsync(classmate, p.Id, Guid.NewGuid().ToString(), jpeg, "image/jpeg", traineeId: owner.Id),
            HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await AssertErrorAsync(await UploadAsync(stranger, p.Id, Guid.NewGuid().ToString(), jpeg, "image/jpeg"), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await AssertErrorAsync(await UploadAsync(otherInstructor, p.Id, Guid.NewGuid().ToString(), jpeg, "image/jpeg"), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        using var staffPhoto = await UploadAsync(instructor, p.Id, Guid.NewGuid().ToString(), jpeg, "image/jpeg", traineeId: owner.Id);
        Assert.Equal(HttpStatusCode.Created, staffPhoto.StatusCode);
        var inspectionPhoto = JsonDocument.Parse(await staffPhoto.Content.ReadAsStringAsync()).RootElement.GetProperty("photoId").GetString();
        // The instructor's photo of the owner's work is the owner's to see, not the classmate's.
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.GetAsync($"/api/v1/photos/{inspectionPhoto}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await classmate.GetAsync($"/api/v1/photos/{inspectionPhoto}")).StatusCode);
        Assert.Equal(2, await CountRowsAsync(host, "photos"));
    }
}

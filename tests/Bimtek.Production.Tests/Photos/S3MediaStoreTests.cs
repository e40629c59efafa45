using System.Net;
using System.Text.Json;
using Amazon.S3;
using Bimtek.Production.Data;
using Bimtek.Production.Tests.Fakes;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests.Photos;

/// <summary>
/// The S3 media store (<c>Photos:Store=s3</c>, AWSSDK.S3) against <see cref="S3StandIn"/>, a local server that checks
/// every request as AWS documents it (SigV4 signature recomputed with the secret, the payload's SHA-256, bucket in the
/// path, credential scope and clock). Nothing leaves the machine.
/// </summary>
public sealed class S3MediaStoreTests() : MediaEndpointTestBase("photos")
{
    [Fact]
    public async Task The_store_puts_reads_and_deletes_whole_objects_with_signed_requests_in_its_bucket_and_prefix()
    {
        await using var s3 = await S3StandIn.StartAsync();
        var options = Options(s3, prefix: "hsu/");
        var store = new S3MediaStore(S3MediaStore.CreateClient(options), options);
        var key = $"photos/{Guid.NewGuid()}/display";
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];

        await store.PutAsync(key, bytes, "image/jpeg", default);
        var read = await store.GetAsync(key, default);

        Assert.True(s3.Refused.IsEmpty, string.Join("\n", s3.Refused) + s3.ServerLog());
        Assert.Equal(bytes, read);
        var stored = Assert.Single(s3.Objects);
        Assert.Equal("hsu/" + key, stored.Key);
        Assert.Equal("image/jpeg", stored.Value.ContentType);
        Assert.Equal([$"PUT /{S3StandIn.Bucket}/hsu/{key}", $"GET /{S3StandIn.Bucket}/hsu/{key}"], s3.Requests);

        // An unknown key is null, not an error; a delete removes the object.
        Assert.Null(await store.GetAsync($"photos/{Guid.NewGuid()}/thumb", default));
        await store.DeleteAsync(key, default);
        Assert.Empty(s3.Objects);
        Assert.True(s3.Refused.IsEmpty, string.Join("\n", s3.Refused));
    }

    [Fact]
    public async Task A_wrong_secret_or_bucket_is_refused_by_the_store_and_nothing_is_kept()
    {
        await using var s3 = await S3StandIn.StartAsync();
        var wrongSecret = Options(s3);
        wrongSecret.SecretKey = "not-the-secret";
        var store = new S3MediaStore(S3MediaStore.CreateClient(wrongSecret), wrongSecret);
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.PutAsync($"photos/{Guid.NewGuid()}/display", [1, 2, 3], "image/png", default));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", refused.ErrorCode);
        Assert.Contains("signature does not match", Assert.Single(s3.Refused), StringComparison.Ordinal);

        var wrongBucket = Options(s3);
        wrongBucket.Bucket = "someone-elses-bucket";
        var elsewhere = new S3MediaStore(S3MediaStore.CreateClient(wrongBucket), wrongBucket);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => elsewhere.PutAsync($"photos/{Guid.NewGuid()}/display", [1, 2, 3], "image/png", default));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(s3.Objects);

        // The keys come from the secret file when the setting names one (Kubernetes and compose secrets).
        var file = Path.Combine(Path.GetTempPath(), $"bimtek-s3-secret-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, S3StandIn.SecretKey + "\n");
        try
        {
            var fromFile = Options(s3);
            fromFile.SecretKey = "";
            fromFile.SecretKeyFile = file;
            await new S3MediaStore(S3MediaStore.CreateClient(fromFile), fromFile).PutAsync($"photos/{Guid.NewGuid()}/thumb", [4, 5], "image/png", default);
            Assert.Single(s3.Objects);
        }
        finally
        {
            File.Delete(file);
        }
        var noKeys = Options(s3);
        noKeys.SecretKey = "";
        Assert.Throws<InvalidOperationException>(() => S3MediaStore.CreateClient(noKeys));
    }

    [Theory, BothDatabases]
    public async Task Production_with_the_s3_store_keeps_a_photos_two_versions_in_the_bucket_serves_them_and_keeps_the_access_rules(DatabaseKind kind)
    {
        await using var s3 = await S3StandIn.StartAsync();
        using var db = await TestDatabase.CreateAsync(kind, "production-photo-s3");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        var disk = Path.Combine(Path.GetTempPath(), "bimtek-tests", $"media-{Guid.NewGuid():N}");
        var settings = s3.ProductionSettings("bimtek/");
        settings["Photos:Directory"] = disk;
        await using var host = StartProduction(db, fakes, configuration: settings);
        Assert.IsType<S3MediaStore>(host.Services.GetRequiredService<IMediaStore>());
        var trainee = p.Trainees[0];
        using var client = Http(host, trainee, Roles.Trainee);

        using var created = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), TestImages.WithGps("image/png", 1600, 1200), "image/png");
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync() + "\n" + string.Join("\n", s3.Refused) + s3.ServerLog());
        var photoId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("photoId").GetString()!;

        // Both versions went to the bucket under production's keys, with their content type; nothing to local disk.
        Assert.Equal([$"bimtek/photos/{photoId}/display", $"bimtek/photos/{photoId}/thumb"], s3.Objects.Keys.Order());
        Assert.All(s3.Objects.Values, o => Assert.Equal("image/png", o.ContentType));
        Assert.False(Directory.Exists(disk) && Directory.EnumerateFiles(disk, "*", SearchOption.AllDirectories).Any(), "a photo was written to the disk store");

        // Read back through production: the bucket's bytes, without the phone's metadata.
        using var display = await client.GetAsync($"/api/v1/photos/{photoId}");
        Assert.Equal(HttpStatusCode.OK, display.StatusCode);
        var displayBytes = await display.Content.ReadAsByteArrayAsync();
        Assert.Equal(s3.Objects[$"bimtek/photos/{photoId}/display"].Bytes, displayBytes);
        Assert.Equal((1280, 960), TestImages.Size(displayBytes));
        Assert.Null(TestImages.Exif(displayBytes));
        Assert.Null(TestImages.GpsLatitude(displayBytes));
        using var thumb = await client.GetAsync($"/api/v1/photos/{photoId}?size=thumb");
        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
        var thumbBytes = await thumb.Content.ReadAsByteArrayAsync();
        Assert.Equal(s3.Objects[$"bimtek/photos/{photoId}/thumb"].Bytes, thumbBytes);
        Assert.Equal((320, 240), TestImages.Size(thumbBytes));
        Assert.Contains($"GET /{S3StandIn.Bucket}/bimtek/photos/{photoId}/thumb", s3.Requests);

        // Access as with the disk store: the programme's instructor reads it; another trainee and an anonymous caller do not.
        using var instructor = Http(host, p.Instructor, Roles.Instructor);
        using (var staff = await instructor.GetAsync($"/api/v1/photos/{photoId}"))
        {
            Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        }
        using var other = Http(host, p.Trainees[1], Roles.Trainee);
        var reads = s3.Requests.Count;
        using (var denied = await other.GetAsync($"/api/v1/photos/{photoId}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
        using var anonymous = host.CreateHttpClient();
        using (var nobody = await anonymous.GetAsync($"/api/v1/photos/{photoId}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        }
        Assert.Equal(reads, s3.Requests.Count); // refused before the store was asked

        // A refused upload stores nothing in the bucket.
        using var wrongType = await UploadAsync(client, p.Id, Guid.NewGuid().ToString(), TestImages.WithGps("image/png", 64, 64), "image/jpeg");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal(2, s3.Objects.Count);
        Assert.True(s3.Refused.IsEmpty, string.Join("\n", s3.Refused));
    }

    private static S3MediaOptions Options(S3StandIn s3, string prefix = "") => new()
    {
        ServiceUrl = s3.Url,
        Region = S3StandIn.Region,
        Bucket = S3StandIn.Bucket,
        Prefix = prefix,
        AccessKey = S3StandIn.AccessKey,
        SecretKey = S3StandIn.SecretKey,
    };
}

using System.Net;
using System.Text.Json;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.Tests.Photos;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;
using static Bimtek.Production.Tests.Videos.VideoEndpointTests;

namespace Bimtek.Production.Tests.Videos;

/// <summary>Lesson videos in the S3 store (streamed in, read by ranged GETs), and the range and format rules as functions.</summary>
public sealed class VideoS3AndRangeRuleTests
{
    [Fact]
    public async Task With_the_s3_store_a_video_goes_to_the_bucket_and_a_range_is_read_from_it_as_a_ranged_get()
    {
        await using var s3 = await S3StandIn.StartAsync();
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-video-s3");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        using var media = new Folder("media");
        using var spool = new Folder("spool");
        await using var host = Start(db, fakes, media, spool, new()
        {
            ["Photos:Store"] = "s3",
            ["Photos:S3:ServiceUrl"] = s3.Url,
            ["Photos:S3:Bucket"] = S3StandIn.Bucket,
            ["Photos:S3:Region"] = S3StandIn.Region,
            ["Photos:S3:Prefix"] = "bimtek/",
            ["Photos:S3:AccessKey"] = S3StandIn.AccessKey,
            ["Photos:S3:SecretKey"] = S3StandIn.SecretKey,
        });
        Assert.IsType<S3MediaStore>(host.Services.GetRequiredService<IMediaStore>());
        using var office = host.CreateHttpClient(TestTokens.Operator());
        var video = TestVideos.Mp4(120_000);

        using var created = await UploadAsync(office, p.Id, Guid.NewGuid().ToString(), video, "video/mp4");
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync() + "\n" + string.Join("\n", s3.Refused) + s3.ServerLog());
        var videoId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("videoId").GetString()!;
        var key = $"bimtek/videos/{videoId}/original";
        Assert.Equal([key], s3.Objects.Keys);
        Assert.Equal(video, s3.Objects[key].Bytes);
        Assert.Equal("video/mp4", s3.Objects[key].ContentType);
        Assert.Empty(media.Files());
        Assert.Empty(spool.Files());

        using var trainee = Http(host, p.Trainees[0], Roles.Trainee);
        await AssertRangeAsync(trainee, $"/api/v1/videos/{videoId}", "bytes=100000-100999", video, 100_000, 1000);
        await AssertRangeAsync(trainee, $"/api/v1/videos/{videoId}", "bytes=-10", video, video.Length - 10, 10);
        // Only the asked-for part crossed from the bucket.
        Assert.Contains($"{key} bytes=100000-100999", s3.Ranges);
        Assert.Contains($"{key} bytes={video.Length - 10}-{video.Length - 1}", s3.Ranges);
        using var whole = await trainee.GetAsync($"/api/v1/videos/{videoId}");
        Assert.Equal(video, await whole.Content.ReadAsByteArrayAsync());
        Assert.True(s3.Refused.IsEmpty, string.Join("\n", s3.Refused));
    }

    [Theory]
    [InlineData(null, 1000, RangeOutcome.Whole, 0, 1000)]
    [InlineData("bytes=0-0", 1000, RangeOutcome.Partial, 0, 1)]
    [InlineData("bytes=0-", 1000, RangeOutcome.Partial, 0, 1000)]
    [InlineData("bytes=500-999", 1000, RangeOutcome.Partial, 500, 500)]
    [InlineData("bytes=500-5000", 1000, RangeOutcome.Partial, 500, 500)]
    [InlineData("bytes=999-", 1000, RangeOutcome.Partial, 999, 1)]
    [InlineData("bytes=-1", 1000, RangeOutcome.Partial, 999, 1)]
    [InlineData("bytes=-5000", 1000, RangeOutcome.Partial, 0, 1000)]
    [InlineData(" Bytes=10-19 ", 1000, RangeOutcome.Partial, 10, 10)]
    [InlineData("bytes=1000-", 1000, RangeOutcome.Unsatisfiable, 0, 0)]
    [InlineData("bytes=1000-2000", 1000, RangeOutcome.Unsatisfiable, 0, 0)]
    [InlineData("bytes=-0", 1000, RangeOutcome.Unsatisfiable, 0, 0)]
    [InlineData("bytes=0-", 0, RangeOutcome.Unsatisfiable, 0, 0)]
    [InlineData("bytes=20-10", 1000, RangeOutcome.Whole, 0, 1000)]
    [InlineData("bytes=0-1,5-6", 1000, RangeOutcome.Whole, 0, 1000)]
    [InlineData("items=0-1", 1000, RangeOutcome.Whole, 0, 1000)]
    [InlineData("bytes=x-1", 1000, RangeOutcome.Whole, 0, 1000)]
    [InlineData("bytes=+1-2", 1000, RangeOutcome.Whole, 0, 1000)]
    [InlineData("bytes=99999999999999999999-", 1000, RangeOutcome.Whole, 0, 1000)]
    public void A_range_header_is_the_whole_video_one_part_or_none(string? header, long length, RangeOutcome outcome, long start, long count)
    {
        var (actual, range) = ByteRanges.Evaluate(header, length);
        Assert.Equal(outcome, actual);
        if (outcome != RangeOutcome.Unsatisfiable)
        {
            Assert.Equal(new ByteRange(start, count), range);
        }
    }

    [Fact]
    public void Every_satisfiable_range_lies_within_the_video_and_is_not_empty()
    {
        var random = new Random(17);
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(1, 5000);
            var a = random.Next(0, 6000);
            var b = random.Next(0, 6000);
            var header = random.Next(3) switch
            {
                0 => $"bytes={a}-{b}",
                1 => $"bytes={a}-",
                _ => $"bytes=-{b}",
            };
            var (outcome, range) = ByteRanges.Evaluate(header, length);
            if (outcome == RangeOutcome.Unsatisfiable)
            {
                continue;
            }
            Assert.True(range.Length > 0 && range.Start >= 0 && range.End < length, $"{header} of {length}: {range}");
        }
    }

    [Fact]
    public void A_videos_type_is_what_its_first_bytes_say()
    {
        Assert.Equal(VideoFormat.Mp4, VideoFormats.Sniff(TestVideos.Mp4(100)));
        Assert.Equal(VideoFormat.Webm, VideoFormats.Sniff(TestVideos.Webm(100)));
        Assert.Null(VideoFormats.Sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0]));
        Assert.Null(VideoFormats.Sniff([0x1A, 0x45]));
        Assert.Equal(VideoFormat.Mp4, VideoFormats.FromContentType("Video/MP4; codecs=\"avc1.42E01E\""));
        Assert.Equal(VideoFormat.Webm, VideoFormats.FromContentType("video/webm"));
        Assert.Null(VideoFormats.FromContentType("video/quicktime"));
        Assert.Null(VideoFormats.FromContentType(""));
    }
}

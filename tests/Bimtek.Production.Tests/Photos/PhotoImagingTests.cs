using Bimtek.Production.Application;
using Bimtek.Production.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Production.Tests.Photos;

/// <summary>The image work without a host: metadata stripped (GPS above all), upright, resized; limits and sniffing.</summary>
public sealed class PhotoImagingTests
{
    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("image/png")]
    [InlineData("image/webp")]
    public void A_photo_with_gps_tags_comes_out_without_any_metadata(string contentType)
    {
        var original = TestImages.WithGps(contentType);
        // The test image really carries what a phone writes: an independent reader finds the position.
        Assert.Equal(TestImages.Latitude, TestImages.GpsLatitude(original));
        Assert.True(TestImages.Contains(original, "TestPhone"));
        Assert.True(TestImages.Contains(original, TestImages.XmpMarker));

        var format = PhotoFormats.FromContentType(contentType)!.Value;
        var processed = PhotoImaging.Process(format, original, PhotoLimits.Default);

        foreach (var version in new[] { processed.Display, processed.Thumb })
        {
            Assert.Equal(contentType, version.ContentType);
            Assert.Null(TestImages.GpsLatitude(version.Bytes));
            Assert.Null(TestImages.Exif(version.Bytes));
            Assert.Null(TestImages.Xmp(version.Bytes));
            Assert.False(TestImages.Contains(version.Bytes, "Exif\0\0"));
            Assert.False(TestImages.Contains(version.Bytes, "TestPhone"));
            Assert.False(TestImages.Contains(version.Bytes, "2020:05:19"));
            Assert.False(TestImages.Contains(version.Bytes, TestImages.XmpMarker));
            Assert.Equal(format, PhotoFormats.Sniff(version.Bytes));
            Assert.Equal((version.Width, version.Height), TestImages.Size(version.Bytes));
        }
    }

    [Fact]
    public void A_large_photo_is_scaled_to_the_display_and_thumbnail_sizes_keeping_its_shape()
    {
        var original = TestImages.WithGps("image/jpeg", 3000, 2000);

        var processed = PhotoImaging.Process(PhotoFormat.Jpeg, original, PhotoLimits.Default);

        Assert.Equal((1280, 853), (processed.Display.Width, processed.Display.Height));
        Assert.Equal((320, 213), (processed.Thumb.Width, processed.Thumb.Height));
        Assert.Equal((1280, 853), TestImages.Size(processed.Display.Bytes));
        Assert.True(processed.Display.Bytes.Length < original.Length);
    }

    [Fact]
    public void A_small_photo_is_never_enlarged()
    {
        var processed = PhotoImaging.Process(PhotoFormat.Png, TestImages.WithGps("image/png", 200, 100), PhotoLimits.Default);

        Assert.Equal((200, 100), (processed.Display.Width, processed.Display.Height));
        Assert.Equal((200, 100), (processed.Thumb.Width, processed.Thumb.Height));
    }

    [Theory]
    [InlineData((ushort)6, 0, 0, 0, 39)]  // rotated 90° clockwise: the left (red) half is now on top
    [InlineData((ushort)8, 0, 39, 0, 0)]  // rotated 90° counter-clockwise: the left half is at the bottom
    [InlineData((ushort)3, 39, 0, 0, 0)]  // upside down: the left half is on the right
    [InlineData((ushort)1, 0, 0, 39, 0)]  // upright already
    public void The_exif_orientation_is_applied_to_the_pixels_before_it_is_dropped(ushort orientation, int redX, int redY, int blueX, int blueY)
    {
        var original = TestImages.WithGps("image/png", 40, 20, orientation);

        var display = PhotoImaging.Process(PhotoFormat.Png, original, PhotoLimits.Default).Display;

        var turned = orientation is 6 or 8;
        Assert.Equal(turned ? (20, 40) : (40, 20), (display.Width, display.Height));
        var red = TestImages.Pixel(display.Bytes, Math.Min(redX, display.Width - 1), Math.Min(redY, display.Height - 1));
        var blue = TestImages.Pixel(display.Bytes, Math.Min(blueX, display.Width - 1), Math.Min(blueY, display.Height - 1));
        Assert.True(red.R > 150 && red.B < 100, $"expected red, got {red}");
        Assert.True(blue.B > 150 && blue.R < 100, $"expected blue, got {blue}");
        Assert.Null(TestImages.Exif(display.Bytes));
    }

    [Fact]
    public void A_picture_with_more_pixels_than_allowed_is_refused_before_it_is_decoded()
    {
        var original = TestImages.WithGps("image/png", 400, 300);

        var refused = Assert.Throws<PhotoRefusedException>(() => PhotoImaging.Process(PhotoFormat.Png, original, PhotoLimits.Default with { MaxPixels = 100_000 }));

        Assert.Equal(413, refused.HttpStatus);
        Assert.Equal("PHOTO_DIMENSIONS_TOO_LARGE", refused.Reason);
        Assert.Contains("400×300", refused.Message);
    }

    [Fact]
    public void Bytes_that_start_like_a_jpeg_but_are_no_image_are_unreadable()
    {
        byte[] junk = [0xFF, 0xD8, 0xFF, 0xE0, .. Enumerable.Repeat((byte)0x41, 500)];

        var refused = Assert.Throws<PhotoRefusedException>(() => PhotoImaging.Process(PhotoFormat.Jpeg, junk, PhotoLimits.Default));

        Assert.Equal(400, refused.HttpStatus);
        Assert.Equal("PHOTO_UNREADABLE", refused.Reason);
    }

    [Fact]
    public void A_truncated_photo_is_unreadable_not_half_stored()
    {
        var whole = TestImages.WithGps("image/jpeg", 600, 400);

        var refused = Assert.Throws<PhotoRefusedException>(() => PhotoImaging.Process(PhotoFormat.Jpeg, whole[..(whole.Length / 2)], PhotoLimits.Default));

        Assert.Equal("PHOTO_UNREADABLE", refused.Reason);
    }
}

public sealed class PhotoRulesTests
{
    [Theory]
    [InlineData("image/jpeg", "image/jpeg")]
    [InlineData("image/png", "image/png")]
    [InlineData("image/webp", "image/webp")]
    public void The_magic_bytes_decide_the_format(string made, string expected)
    {
        Assert.Equal(expected, PhotoFormats.ContentType(PhotoFormats.Sniff(TestImages.WithGps(made))!.Value));
    }

    [Theory]
    [InlineData("image/jpeg", PhotoFormat.Jpeg)]
    [InlineData("IMAGE/JPEG; charset=binary", PhotoFormat.Jpeg)]
    [InlineData("image/jpg", PhotoFormat.Jpeg)]
    [InlineData("image/png", PhotoFormat.Png)]
    [InlineData("image/webp", PhotoFormat.Webp)]
    public void Declared_types_of_the_three_formats_are_accepted(string contentType, PhotoFormat format) =>
        Assert.Equal(format, PhotoRules.DeclaredFormat(contentType));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("image/gif")]
    [InlineData("image/svg+xml")]
    [InlineData("text/html")]
    [InlineData("application/octet-stream")]
    [InlineData("image/heic")]
    public void Other_declared_types_are_unsupported_media_types(string? contentType)
    {
        var refused = Assert.Throws<PhotoRefusedException>(() => PhotoRules.DeclaredFormat(contentType));

        Assert.Equal(415, refused.HttpStatus);
        Assert.Equal("PHOTO_TYPE_NOT_SUPPORTED", refused.Reason);
        Assert.Contains("image/jpeg, image/png, image/webp", refused.Message);
    }

    [Fact]
    public void A_png_sent_as_a_jpeg_and_html_sent_as_an_image_are_refused_by_their_bytes()
    {
        var png = TestImages.WithGps("image/png");
        var mismatch = Assert.Throws<PhotoRefusedException>(() => PhotoRules.CheckBody(PhotoFormat.Jpeg, png, PhotoLimits.Default));
        Assert.Equal(415, mismatch.HttpStatus);
        Assert.Equal("PHOTO_CONTENT_TYPE_MISMATCH", mismatch.Reason);
        Assert.Contains("The body is image/png, but the Content-Type says image/jpeg", mismatch.Message);

        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var disguised = Assert.Throws<PhotoRefusedException>(() => PhotoRules.CheckBody(PhotoFormat.Png, html, PhotoLimits.Default));
        Assert.Equal("PHOTO_CONTENT_TYPE_MISMATCH", disguised.Reason);
        Assert.Contains("not a JPEG, PNG or WebP", disguised.Message);
    }

    [Fact]
    public void Too_large_and_empty_bodies_are_refused_with_their_own_status()
    {
        var limits = PhotoLimits.Default with { MaxBytes = 1000 };
        var big = Assert.Throws<PhotoRefusedException>(() => PhotoRules.CheckBody(PhotoFormat.Jpeg, new byte[1001], limits));
        Assert.Equal(413, big.HttpStatus);
        Assert.Equal("PHOTO_TOO_LARGE", big.Reason);
        Assert.Throws<PhotoRefusedException>(() => PhotoRules.CheckDeclaredLength(1001, limits));
        PhotoRules.CheckDeclaredLength(1000, limits);
        PhotoRules.CheckDeclaredLength(null, limits);

        var empty = Assert.Throws<PhotoRefusedException>(() => PhotoRules.CheckBody(PhotoFormat.Jpeg, [], limits));
        Assert.Equal(400, empty.HttpStatus);
        Assert.Contains("\"field\":\"body\"", Google.Protobuf.JsonFormatter.Default.Format(
            Google.Rpc.BadRequest.Parser.ParseFrom(empty.ToStatus().Details[1].Value)));
    }

    [Theory]
    [InlineData(4000, 3000, 1280, 1280, 960)]
    [InlineData(3000, 4000, 1280, 960, 1280)]
    [InlineData(1280, 720, 1280, 1280, 720)]
    [InlineData(100, 50, 1280, 100, 50)]
    [InlineData(10000, 1, 320, 320, 1)]
    public void Fit_keeps_the_aspect_ratio_and_never_enlarges(int w, int h, int edge, int fw, int fh) =>
        Assert.Equal((fw, fh), PhotoRules.Fit(w, h, edge));

    [Theory]
    [InlineData("p1", "t1", "p1", "t1", true, null)]
    [InlineData("p1", "t1", "p1", "t1", false, null)]
    [InlineData("p1", "", "p1", "t1", false, null)]
    [InlineData("p1", "", "p1", "t1", true, "PHOTO_NOT_OF_TRAINEE")]
    [InlineData("p1", "t2", "p1", "t1", false, "PHOTO_NOT_OF_TRAINEE")]
    [InlineData("p2", "t1", "p1", "t1", false, "PHOTO_NOT_OF_PROGRAMME")]
    public void A_record_holds_only_photos_of_its_programme_and_trainee(string photoProgramme, string photoTrainee, string programme, string trainee,
        bool traineeReports, string? expected) =>
        Assert.Equal(expected, PhotoRules.CheckAttachment(photoProgramme, photoTrainee, programme, trainee, traineeReports));

    [Fact]
    public void Errors_carry_the_suite_shape()
    {
        var refused = Assert.Throws<PhotoRefusedException>(() => PhotoRules.DeclaredFormat("text/plain"));
        var status = refused.ToStatus();
        Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, status.Code);
        Assert.Equal(ErrorReasons.Domain, Google.Rpc.ErrorInfo.Parser.ParseFrom(status.Details[0].Value).Domain);
    }
}

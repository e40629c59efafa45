using System.Security.Cryptography;
using System.Text;
using Bimtek.Common.V1;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>
/// An upload as the endpoint received it: the body already spooled to a file (<paramref name="Body"/>: never held in
/// memory), with its length, SHA-256 (hex) and leading bytes.
/// </summary>
internal sealed record VideoUpload(string RequestId, string ProgrammeId, string? ContentType, UploadSpool Body);

/// <summary>
/// Lesson videos served by the suite: upload (idempotent on request_id) and watch (by the programme's people).
/// <list type="number">
/// <item>The body is checked first (<see cref="VideoRules"/>): type, size, magic bytes — nothing is stored when it
/// fails, and no other service is asked.</item>
/// <item>A request_id already stored answers the stored video when the upload is the same (programme, type and
/// bytes), REQUEST_ID_REUSED otherwise (<see cref="MediaUploads{TRow}"/>).</item>
/// <item>Who may upload: operators (of the programme's office) and services; the programme's instructors. Trainees
/// and health experts may not.</item>
/// <item>Stored as every upload is (<see cref="MediaUploads{TRow}.StoreOnceAsync"/>): first the bytes go to the media
/// store, then the row; a concurrent duplicate that loses the insert removes its bytes and answers the winner's video.</item>
/// <item>Who may watch: the programme's people — its active trainees, its instructors and health experts, operators
/// and integrators of its office, services. Anyone else gets PERMISSION_DENIED, and a trainee or staff member cannot
/// tell an unknown video id from another programme's.</item>
/// </list>
/// </summary>
internal sealed class VideoLibrary(
    VideoStore videos,
    IMediaStore media,
    MediaUploads<VideoRow> uploads,
    ProgrammeDirectory directory,
    TimeProvider time,
    IOptions<VideoOptions> options)
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<VideoRow> UploadAsync(Caller caller, VideoUpload upload, CancellationToken cancellationToken)
    {
        caller.Require(Api.Access.VideoUploaders);
        var format = VideoRules.DeclaredFormat(upload.ContentType);
        VideoRules.CheckLength(upload.Body.Length, MaxUploadBytes);
        VideoRules.CheckBody(format, upload.Body.Length, upload.Body.Leading);
        var contentType = VideoFormats.ContentType(format);
        var hash = Fingerprint(upload.ProgrammeId, contentType, upload.Body.Sha256);
        if (await uploads.ReplayAsync(caller, upload.RequestId, hash, MayUploadAsync, cancellationToken) is { } replay)
        {
            return replay;
        }
        await EnsureMayUploadAsync(caller, upload.ProgrammeId, cancellationToken);

        var videoId = Guid.CreateVersion7().ToString();
        var row = new VideoRow
        {
            VideoId = videoId,
            RequestId = upload.RequestId,
            RequestHash = hash,
            ProgrammeId = upload.ProgrammeId,
            UploadedBy = caller.Subject,
            ContentType = contentType,
            Bytes = upload.Body.Length,
            Sha256 = upload.Body.Sha256,
            MediaKey = MediaKeys.Video(videoId),
            UploadedAt = time.NowMs(),
        };
        return await uploads.StoreOnceAsync(caller, row, async ct =>
        {
            await using var body = upload.Body.OpenRead();
            await media.PutAsync(row.MediaKey, body, row.Bytes, contentType, ct);
        }, MayUploadAsync, cancellationToken);
    }

    /// <summary>The video's row for one of the programme's people; PERMISSION_DENIED (or NOT_FOUND for privileged callers) otherwise.</summary>
    public async Task<VideoRow> FindForViewerAsync(Caller caller, string videoId, CancellationToken cancellationToken)
    {
        var row = await videos.FindAsync(videoId, cancellationToken);
        if (row is null)
        {
            throw caller.IsPrivileged ? new NotFoundException("video", videoId) : new PermissionDeniedException();
        }
        await EnsureMayWatchAsync(caller, row.ProgrammeId, cancellationToken);
        return row;
    }

    /// <summary>The bytes <paramref name="range"/> of the video (the caller was admitted by <see cref="FindForViewerAsync"/>).</summary>
    public async Task<Stream> OpenAsync(VideoRow row, ByteRange range, CancellationToken cancellationToken) =>
        await media.OpenRangeAsync(row.MediaKey, range.Start, range.Length, cancellationToken)
        ?? throw new InvalidOperationException($"The media store has no bytes for video {row.VideoId}.");

    private async Task EnsureMayWatchAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        if (caller.IsPrivileged)
        {
            await directory.EnsureOfficeAsync(caller, programmeId, cancellationToken);
            return;
        }
        var facts = await directory.CheckAsync(caller, programmeId, "", cancellationToken);
        var staff = facts.PersonIsStaff && caller.IsAny(Roles.Instructor, Roles.HealthExpert);
        var trainee = caller.Is(Roles.Trainee) && facts.PersonRole == Role.Trainee;
        if (!staff && !trainee)
        {
            throw new PermissionDeniedException();
        }
    }

    private async Task EnsureMayUploadAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        if (caller.IsAny(Roles.Operator, Roles.Service))
        {
            // Participants is asked in any case: an unknown programme is 404 for an operator, not a stored orphan.
            await directory.CheckAsync(caller, programmeId, "", cancellationToken);
            await directory.EnsureOfficeAsync(caller, programmeId, cancellationToken);
            return;
        }
        var facts = await directory.CheckAsync(caller, programmeId, "", cancellationToken);
        if (!(caller.Is(Roles.Instructor) && facts.PersonRole == Role.Instructor))
        {
            throw new PermissionDeniedException("Lesson videos are uploaded by an operator of the programme's office or one of its instructors.");
        }
    }

    /// <summary>A replay by someone other than the uploader: may the caller upload to the video's programme?</summary>
    private Task MayUploadAsync(Caller caller, VideoRow row, CancellationToken cancellationToken) =>
        EnsureMayUploadAsync(caller, row.ProgrammeId, cancellationToken);

    /// <summary>What makes two uploads the same: programme, type and the bytes' SHA-256.</summary>
    private static string Fingerprint(string programmeId, string contentType, string sha256) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{programmeId}\n{contentType}\n{sha256}")));
}

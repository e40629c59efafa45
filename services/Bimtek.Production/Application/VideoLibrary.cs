using System.Security.Cryptography;
using System.Text;
using Bimtek.Common.V1;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>
/// An upload as the endpoint received it: the body already spooled to <paramref name="SpoolPath"/> (never held in
/// memory), its length, SHA-256 (hex) and leading bytes.
/// </summary>
internal sealed record VideoUpload(string RequestId, string ProgrammeId, string? ContentType, string SpoolPath, long Length, string Sha256,
    byte[] Leading);

/// <summary>
/// Lesson videos served by the suite: upload (idempotent on request_id) and watch (by the programme's people).
/// <list type="number">
/// <item>The body is checked first (<see cref="VideoRules"/>): type, size, magic bytes — nothing is stored when it
/// fails, and no other service is asked.</item>
/// <item>A request_id already stored answers the stored video when the upload is the same (programme, type and
/// bytes), REQUEST_ID_REUSED otherwise.</item>
/// <item>Who may upload: operators (of the programme's office) and services; the programme's instructors. Trainees
/// and health experts may not.</item>
/// <item>First the bytes go to the media store, then the row; a crash leaves at worst unreferenced bytes. A concurrent
/// duplicate that loses the insert removes its bytes and answers the winner's video.</item>
/// <item>Who may watch: the programme's people — its active trainees, its instructors and health experts, operators
/// and integrators of its office, services. Anyone else gets PERMISSION_DENIED, and a trainee or staff member cannot
/// tell an unknown video id from another programme's.</item>
/// </list>
/// </summary>
internal sealed class VideoLibrary(
    VideoStore videos,
    IMediaStore media,
    ProgrammeDirectory directory,
    TimeProvider time,
    IOptions<VideoOptions> options)
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<VideoRow> UploadAsync(Caller caller, VideoUpload upload, CancellationToken cancellationToken)
    {
        caller.Require(Api.Access.VideoUploaders);
        var format = VideoRules.DeclaredFormat(upload.ContentType);
        VideoRules.CheckLength(upload.Length, MaxUploadBytes);
        VideoRules.CheckBody(format, upload.Length, upload.Leading);
        var contentType = VideoFormats.ContentType(format);
        var hash = Fingerprint(upload.ProgrammeId, contentType, upload.Sha256);
        if (await videos.FindByRequestAsync(upload.RequestId, cancellationToken) is { } existing)
        {
            return await ReplayAsync(caller, existing, hash, cancellationToken);
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
            Bytes = upload.Length,
            Sha256 = upload.Sha256,
            MediaKey = MediaKeys.Video(videoId),
            UploadedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await using (var body = new FileStream(upload.SpoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            await media.PutAsync(row.MediaKey, body, upload.Length, contentType, cancellationToken);
        }
        if (await videos.InsertAsync(row, cancellationToken) == 1)
        {
            return row;
        }
        // A concurrent duplicate stored its video first: ours is not referenced by anything.
        await media.DeleteAsync(row.MediaKey, CancellationToken.None);
        existing = await videos.FindByRequestAsync(upload.RequestId, cancellationToken)
            ?? throw new InvalidOperationException("A video vanished after its insert conflicted.");
        return await ReplayAsync(caller, existing, hash, cancellationToken);
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

    private async Task<VideoRow> ReplayAsync(Caller caller, VideoRow existing, string hash, CancellationToken cancellationToken)
    {
        if (existing.RequestHash != hash)
        {
            throw new ValidationException(
                [new FieldViolation("request_id", "was already used for a different upload; choose a new UUID for a new video")],
                ErrorReasons.RequestIdReused);
        }
        if (existing.UploadedBy != caller.Subject)
        {
            await EnsureMayUploadAsync(caller, existing.ProgrammeId, cancellationToken);
        }
        return existing;
    }

    /// <summary>What makes two uploads the same: programme, type and the bytes' SHA-256.</summary>
    private static string Fingerprint(string programmeId, string contentType, string sha256) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{programmeId}\n{contentType}\n{sha256}")));
}

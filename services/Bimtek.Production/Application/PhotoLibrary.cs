using System.Security.Cryptography;
using System.Text;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>An upload as the endpoint received it.</summary>
internal sealed record PhotoUpload(string RequestId, string ProgrammeId, string TraineeId, string? ContentType, byte[] Body);

/// <summary>
/// Photos of reports and inspections: upload (idempotent on request_id), read (only by who may read the
/// trainee's reports), and the check that a report or inspection names only photos it may hold.
/// <list type="number">
/// <item>The body is checked first (<see cref="PhotoRules"/>): type, size, magic bytes — nothing is stored when
/// it fails, and no other service is asked.</item>
/// <item>A request_id already stored answers the stored photo when the upload is the same (programme, trainee,
/// type and bytes — the fingerprint), REQUEST_ID_REUSED otherwise (<see cref="MediaUploads{TRow}"/>).</item>
/// <item>Who may upload: the trainee for themselves; the programme's instructors and health experts, operators
/// and services for the programme, naming a trainee (who must be enrolled) or none (a staff photo).</item>
/// <item>The image is decoded, turned upright, resized and re-encoded without any metadata
/// (<see cref="PhotoImaging"/>); only these versions are stored, as every upload is stored
/// (<see cref="MediaUploads{TRow}.StoreOnceAsync"/>: first the bytes, then the row; a concurrent duplicate that loses
/// the insert removes its bytes and answers the winner's photo).</item>
/// </list>
/// </summary>
internal sealed class PhotoLibrary(
    PhotoStore photos,
    IMediaStore media,
    MediaUploads<PhotoRow> uploads,
    ProgrammeDirectory directory,
    TimeProvider time,
    IOptions<PhotoOptions> options)
{
    private readonly PhotoOptions _options = options.Value;

    public PhotoLimits Limits => _options.Limits;

    public async Task<PhotoRow> UploadAsync(Caller caller, PhotoUpload upload, CancellationToken cancellationToken)
    {
        caller.Require(Api.Access.PhotoUploaders);
        var limits = _options.Limits;
        var format = PhotoRules.CheckBody(PhotoRules.DeclaredFormat(upload.ContentType), upload.Body, limits);
        var hash = Fingerprint(upload, format);
        if (await uploads.ReplayAsync(caller, upload.RequestId, hash, MayUploadAsync, cancellationToken) is { } replay)
        {
            return replay;
        }
        var owner = await EnsureMayUploadAsync(caller, upload.ProgrammeId, upload.TraineeId, cancellationToken);
        var processed = PhotoImaging.Process(format, upload.Body, limits);

        var photoId = Guid.CreateVersion7().ToString();
        var row = new PhotoRow
        {
            PhotoId = photoId,
            RequestId = upload.RequestId,
            RequestHash = hash,
            ProgrammeId = upload.ProgrammeId,
            TraineeId = owner,
            UploadedBy = caller.Subject,
            ContentType = processed.Display.ContentType,
            Width = processed.Display.Width,
            Height = processed.Display.Height,
            Bytes = processed.Display.Bytes.Length,
            ThumbWidth = processed.Thumb.Width,
            ThumbHeight = processed.Thumb.Height,
            ThumbBytes = processed.Thumb.Bytes.Length,
            DisplayKey = MediaKeys.Display(photoId),
            ThumbKey = MediaKeys.Thumb(photoId),
            UploadedAt = time.NowMs(),
        };
        return await uploads.StoreOnceAsync(caller, row, async ct =>
        {
            await media.PutAsync(row.DisplayKey, processed.Display.Bytes, processed.Display.ContentType, ct);
            await media.PutAsync(row.ThumbKey, processed.Thumb.Bytes, processed.Thumb.ContentType, ct);
        }, MayUploadAsync, cancellationToken);
    }

    /// <summary>A version of a photo for a caller who may read the trainee's reports (or the programme's, for a staff photo).</summary>
    public async Task<(PhotoRow Row, byte[] Bytes)> OpenAsync(Caller caller, string photoId, bool thumb, CancellationToken cancellationToken)
    {
        var row = await photos.FindAsync(photoId, cancellationToken);
        if (row is null)
        {
            throw Api.Access.MayLearnAbsence(caller) ? new NotFoundException("photo", photoId) : new PermissionDeniedException();
        }
        await directory.EnsureCanReadAsync(caller, row.ProgrammeId, row.TraineeId, cancellationToken);
        var bytes = await media.GetAsync(thumb ? row.ThumbKey : row.DisplayKey, cancellationToken)
            ?? throw new InvalidOperationException($"The media store has no bytes for photo {photoId}.");
        return (row, bytes);
    }

    /// <summary>
    /// Throws INVALID_ARGUMENT unless every id names a photo of the programme that the record may hold
    /// (<see cref="PhotoRules.CheckAttachment"/>). An unknown id and another's photo read alike.
    /// </summary>
    public async Task EnsureAttachableAsync(IReadOnlyList<string> photoIds, string programmeId, string traineeId, bool traineeReports,
        CancellationToken cancellationToken)
    {
        if (photoIds.Count == 0)
        {
            return;
        }
        var found = (await photos.FindManyAsync(photoIds, cancellationToken)).ToDictionary(p => p.PhotoId, StringComparer.Ordinal);
        var violations = new List<FieldViolation>();
        var reason = Reasons.PhotoNotOfTrainee;
        for (var i = 0; i < photoIds.Count; i++)
        {
            var problem = found.TryGetValue(photoIds[i], out var photo)
                ? PhotoRules.CheckAttachment(photo.ProgrammeId, photo.TraineeId, programmeId, traineeId, traineeReports)
                : Reasons.PhotoNotOfProgramme;
            if (problem is null)
            {
                continue;
            }
            if (problem == Reasons.PhotoNotOfProgramme)
            {
                reason = problem;
            }
            violations.Add(new FieldViolation($"photo_ids[{i}]", problem == Reasons.PhotoNotOfProgramme
                ? "must be the id of a photo uploaded for this programme"
                : "must be a photo of this trainee's work"));
        }
        if (violations.Count > 0)
        {
            throw new ValidationException(violations, reason);
        }
    }

    /// <summary>Validates a photo id list's shape (request validation in the handlers).</summary>
    public RequestValidator ValidateIds(RequestValidator validator, IList<string> photoIds, string field = "photo_ids")
    {
        validator
            .When(photoIds.Count > _options.MaxPhotosPerRecord, field, $"at most {_options.MaxPhotosPerRecord} photos")
            .When(photoIds.Distinct(StringComparer.Ordinal).Count() != photoIds.Count, field, "no photo twice");
        for (var i = 0; i < photoIds.Count; i++)
        {
            validator.Id($"{field}[{i}]", photoIds[i]);
        }
        return validator;
    }

    /// <summary>A replay by someone other than the uploader: may the caller upload this photo?</summary>
    private Task MayUploadAsync(Caller caller, PhotoRow row, CancellationToken cancellationToken) =>
        EnsureMayUploadAsync(caller, row.ProgrammeId, row.TraineeId, cancellationToken);

    /// <summary>Returns the trainee the photo belongs to ('' for a staff photo of the programme), or throws PERMISSION_DENIED.</summary>
    private async Task<string> EnsureMayUploadAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        var facts = await directory.CheckAsync(caller, programmeId, traineeId, cancellationToken);
        if (caller.IsAny(Roles.Operator, Roles.Service) || (facts.PersonIsStaff && caller.IsAny(Roles.Instructor, Roles.HealthExpert)))
        {
            if (!string.IsNullOrEmpty(traineeId) && !facts.TraineeEnrolled)
            {
                throw new PreconditionException(Reasons.NotEnrolled, "The trainee is not enrolled in the programme.",
                    [new PreconditionViolation(Reasons.NotEnrolled, traineeId, "not enrolled")]);
            }
            return traineeId;
        }
        if (caller.Is(Roles.Trainee) && facts.PersonId.Length > 0)
        {
            if (!string.IsNullOrEmpty(traineeId) && traineeId != facts.PersonId)
            {
                throw new PermissionDeniedException("A trainee uploads photos only for themselves.");
            }
            var own = string.IsNullOrEmpty(traineeId)
                ? await directory.CheckAsync(caller, programmeId, facts.PersonId, cancellationToken)
                : facts;
            if (!own.TraineeEnrolled)
            {
                throw new PermissionDeniedException();
            }
            return facts.PersonId;
        }
        throw new PermissionDeniedException();
    }

    /// <summary>What makes two uploads the same: programme, trainee, type and the bytes (SHA-256, hex).</summary>
    private static string Fingerprint(PhotoUpload upload, PhotoFormat format)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{upload.ProgrammeId}\n{upload.TraineeId}\n{PhotoFormats.ContentType(format)}\n"));
        sha.AppendData(upload.Body);
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

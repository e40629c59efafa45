using Bimtek.Production.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Application;

/// <summary>
/// The steps of an upload that photos and lesson videos share (<see cref="PhotoLibrary"/>, <see cref="VideoLibrary"/>),
/// idempotent on request_id. Each library checks the body and the uploader in between, in this order:
/// <list type="number">
/// <item><see cref="ReplayAsync"/>: a request_id already stored answers the stored row when the upload's fingerprint
/// is the same, REQUEST_ID_REUSED otherwise; a replay by someone other than the uploader passes the library's upload
/// check again.</item>
/// <item><see cref="StoreOnceAsync"/>: first the bytes go to the media store, then the row, so a crash leaves at worst
/// unreferenced bytes, never a row without its bytes. A concurrent duplicate that loses the insert removes its bytes
/// and answers the winner's row (as a replay).</item>
/// </list>
/// </summary>
internal sealed class MediaUploads<TRow>(MediaTable<TRow> table, IMediaStore media, string noun)
    where TRow : class, IMediaRow
{
    /// <summary>
    /// The row stored for <paramref name="requestId"/>, answered as a replay; null when the id is new.
    /// <paramref name="mayUpload"/> is the library's check that the caller may upload what a row holds (it throws when not).
    /// </summary>
    public async Task<TRow?> ReplayAsync(Caller caller, string requestId, string hash, Func<Caller, TRow, CancellationToken, Task> mayUpload,
        CancellationToken cancellationToken) =>
        await table.FindByRequestAsync(requestId, cancellationToken) is { } existing
            ? await AnswerReplayAsync(caller, existing, hash, mayUpload, cancellationToken)
            : null;

    /// <summary>Puts the bytes (<paramref name="putBytes"/>), then inserts the row; the winner's row when a duplicate stored first.</summary>
    public async Task<TRow> StoreOnceAsync(Caller caller, TRow row, Func<CancellationToken, Task> putBytes,
        Func<Caller, TRow, CancellationToken, Task> mayUpload, CancellationToken cancellationToken)
    {
        await putBytes(cancellationToken);
        if (await table.InsertAsync(row, cancellationToken) == 1)
        {
            return row;
        }
        // A concurrent duplicate stored its bytes first: ours are not referenced by anything.
        foreach (var key in row.StoredKeys)
        {
            await media.DeleteAsync(key, CancellationToken.None);
        }
        var existing = await table.FindByRequestAsync(row.RequestId, cancellationToken)
            ?? throw new InvalidOperationException($"A {noun} vanished after its insert conflicted.");
        return await AnswerReplayAsync(caller, existing, row.RequestHash, mayUpload, cancellationToken);
    }

    private async Task<TRow> AnswerReplayAsync(Caller caller, TRow existing, string hash, Func<Caller, TRow, CancellationToken, Task> mayUpload,
        CancellationToken cancellationToken)
    {
        if (existing.RequestHash != hash)
        {
            throw new ValidationException(
                [new FieldViolation("request_id", $"was already used for a different upload; choose a new UUID for a new {noun}")],
                ErrorReasons.RequestIdReused);
        }
        if (existing.UploadedBy != caller.Subject)
        {
            await mayUpload(caller, existing, cancellationToken);
        }
        return existing;
    }
}

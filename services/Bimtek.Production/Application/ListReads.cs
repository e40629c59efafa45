using Bimtek.Data.Persistence;
using Bimtek.Production.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Application;

/// <summary>
/// A page of one of production's lists (output reports, inspections, rework orders) for a caller, in this order: the
/// page token is read (one of another list, damaged or hand-made: INVALID_ARGUMENT); who may list — privileged callers
/// everything, staff their programme, a trainee only their own (<see cref="ProgrammeDirectory.EnsureCanReadAsync"/>),
/// and with only a trainee id the caller is checked against a programme the trainee reported in (none: an empty page);
/// then the page after the token's position and the token after it.
/// </summary>
internal sealed class ListReads(ProgrammeDirectory directory, ProductionQueries queries)
{
    public async Task<(IReadOnlyList<T> Items, string NextPageToken)> PageAsync<TRow, T>(Caller caller, Keyset<TRow> list, string programmeId,
        string traineeId, int pageSize, string pageToken, Func<KeysetPage, CancellationToken, Task<(IReadOnlyList<T>, string)>> page,
        CancellationToken cancellationToken)
    {
        var position = list.Page(pageToken, RequestValidator.EffectivePageSize(pageSize));
        if (!await MayListAsync(caller, programmeId, traineeId, cancellationToken))
        {
            return ([], "");
        }
        return await page(position, cancellationToken);
    }

    /// <summary>Whether the caller may list (false: nothing of theirs to show); PERMISSION_DENIED for another's records.</summary>
    private async Task<bool> MayListAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        if (caller.IsPrivileged)
        {
            return true;
        }
        if (!string.IsNullOrEmpty(programmeId))
        {
            await directory.EnsureCanReadAsync(caller, programmeId, traineeId, cancellationToken);
            return true;
        }
        // Only a trainee id: resolve the caller through a programme the trainee reported in.
        var programme = await queries.AnyProgrammeOfTraineeAsync(traineeId, cancellationToken);
        if (programme is null)
        {
            return false;
        }
        await directory.EnsureCanReadAsync(caller, programme, traineeId, cancellationToken);
        return true;
    }
}

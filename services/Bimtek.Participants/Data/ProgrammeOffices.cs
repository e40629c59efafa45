using Bimtek.ServiceDefaults.Offices;

namespace Bimtek.Participants.Data;

/// <summary>
/// Each programme's office, from its row (the office check of every RPC that names a programme). An unknown programme
/// is refused to an office-scoped caller with the answer another office's programme gets (403,
/// <see cref="ProgrammeOfficeCheck.RefusalMessage"/>), as in every other service, so the answer tells nothing about
/// which programmes exist; callers that are not office-scoped still get NOT_FOUND from the handler.
/// </summary>
internal sealed class ProgrammeOffices(CachedReads reads) : IProgrammeOffices
{
    public bool AnswersForUnknownProgrammes => false;

    public async ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken) =>
        await reads.OfficeOfAsync(programmeId, cancellationToken);
}

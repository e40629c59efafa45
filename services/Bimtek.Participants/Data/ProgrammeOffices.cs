using Bimtek.ServiceDefaults.Offices;

namespace Bimtek.Participants.Data;

/// <summary>Each programme's office, from its row (the office check of every RPC that names a programme).</summary>
internal sealed class ProgrammeOffices(DbReader reader) : IProgrammeOffices
{
    public async ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken) =>
        await reader.ReadAsync(db => ProgrammeQueries.OfficeAsync(db, programmeId), cancellationToken);
}

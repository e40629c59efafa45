using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Offices;

namespace Bimtek.Materials.Application;

/// <summary>Each programme's office, asked of participants (kept once known; see <see cref="ParticipantsProgrammeOffices"/>).</summary>
internal sealed class ProgrammeOffices(IServiceProvider services) : ParticipantsProgrammeOffices
{
    protected override async Task<string> AskAsync(string programmeId, CancellationToken cancellationToken) =>
        (await services.GetRequiredService<ParticipantsInternalService.ParticipantsInternalServiceClient>()
            .CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programmeId }, cancellationToken: cancellationToken)).Office;
}

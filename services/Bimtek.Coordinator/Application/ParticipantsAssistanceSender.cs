using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Coordinator.Application;

/// <summary>
/// Opens behind-schedule assistance requests in participants (idempotent on the derived request id).
/// The client is resolved per call: a coordinator without a participants address still starts and
/// serves everything else; only the pace check's requests fail (and are asked again next check).
/// </summary>
internal sealed class ParticipantsAssistanceSender(IServiceProvider services) : IAssistanceRequestSender
{
    public async Task OpenBehindScheduleAsync(BehindScheduleNotice notice, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ParticipantsInternalService.ParticipantsInternalServiceClient>().OpenBehindScheduleRequestAsync(new OpenBehindScheduleRequestRequest
        {
            RequestId = notice.RequestId,
            ProgrammeId = notice.ProgrammeId,
            TraineeId = notice.TraineeId,
            Day = CalendarDays.ToDate(notice.Day),
            DoneUnits = notice.DoneUnits,
            ExpectedUnits = notice.ExpectedUnits,
            Quota = notice.Quota,
        }, cancellationToken: cancellationToken);
}

using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.V1;
using Bimtek.Production.Data;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Application;

/// <summary>
/// Finally accepted units leave for distribution's finished goods through the outbox, in the transaction that
/// accepted them (an inspection, or a health expert's sign-off) — never units still awaiting sign-off.
/// </summary>
internal sealed class DistributionEvents(OutboxWriter outbox)
{
    public async Task AcceptedAsync(DbSession s, string inspectionId, string programmeId, string traineeId, string productCode, int accepted, DateTimeOffset now)
    {
        if (accepted <= 0)
        {
            return;
        }
        await outbox.EnqueueAsync(s, OutboxNames.DistributionAccepted, new ReceiveAcceptedGoodsRequest
        {
            InspectionId = inspectionId,
            ProgrammeId = programmeId,
            TraineeId = traineeId,
            ProductCode = productCode,
            Units = accepted,
            AcceptedAt = Instants.ToTimestamp(now),
        });
    }
}

using Bimtek.Coordinator.V1;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Outbox;

namespace Bimtek.Production.Infrastructure;

/// <summary>Recorded output → coordinator QuotaService.ApplyOutputRecorded (request_id = outbox id).</summary>
internal sealed class CoordinatorOutputDestination(QuotaService.QuotaServiceClient quota) : IOutboxDestination
{
    public string Name => OutboxNames.CoordinatorOutput;

    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var request = message.Parse(ApplyOutputRecordedRequest.Parser);
        request.RequestId = message.Id;
        await quota.ApplyOutputRecordedAsync(request, cancellationToken: cancellationToken);
    }
}

/// <summary>Inspection and sign-off results → coordinator QuotaService.ApplyInspectionResult.</summary>
internal sealed class CoordinatorInspectionDestination(QuotaService.QuotaServiceClient quota) : IOutboxDestination
{
    public string Name => OutboxNames.CoordinatorInspection;

    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var request = message.Parse(ApplyInspectionResultRequest.Parser);
        request.RequestId = message.Id;
        await quota.ApplyInspectionResultAsync(request, cancellationToken: cancellationToken);
    }
}

/// <summary>Finally accepted units → distribution DistributionService.ReceiveAcceptedGoods.</summary>
internal sealed class DistributionAcceptedDestination(DistributionService.DistributionServiceClient distribution) : IOutboxDestination
{
    public string Name => OutboxNames.DistributionAccepted;

    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var request = message.Parse(ReceiveAcceptedGoodsRequest.Parser);
        request.RequestId = message.Id;
        await distribution.ReceiveAcceptedGoodsAsync(request, cancellationToken: cancellationToken);
    }
}

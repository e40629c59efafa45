using Bimtek.Coordinator.V1;
using Bimtek.Data.Outbox;
using Bimtek.Distribution.V1;
using Bimtek.Production.Data;

namespace Bimtek.Production.Hosting;

/// <summary>Recorded output → coordinator QuotaInternalService.ApplyOutputRecorded (request_id = outbox id).</summary>
internal sealed class CoordinatorOutputDestination(QuotaInternalService.QuotaInternalServiceClient quota) : OutboxDestination<ApplyOutputRecordedRequest>
{
    public override string Name => OutboxNames.CoordinatorOutput;

    protected override Task SendAsync(ApplyOutputRecordedRequest request, CancellationToken cancellationToken) =>
        quota.ApplyOutputRecordedAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}

/// <summary>Inspection and sign-off results → coordinator QuotaInternalService.ApplyInspectionResult.</summary>
internal sealed class CoordinatorInspectionDestination(QuotaInternalService.QuotaInternalServiceClient quota) : OutboxDestination<ApplyInspectionResultRequest>
{
    public override string Name => OutboxNames.CoordinatorInspection;

    protected override Task SendAsync(ApplyInspectionResultRequest request, CancellationToken cancellationToken) =>
        quota.ApplyInspectionResultAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}

/// <summary>Finally accepted units → distribution DistributionInternalService.ReceiveAcceptedGoods.</summary>
internal sealed class DistributionAcceptedDestination(DistributionInternalService.DistributionInternalServiceClient distribution) : OutboxDestination<ReceiveAcceptedGoodsRequest>
{
    public override string Name => OutboxNames.DistributionAccepted;

    protected override Task SendAsync(ReceiveAcceptedGoodsRequest request, CancellationToken cancellationToken) =>
        distribution.ReceiveAcceptedGoodsAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}

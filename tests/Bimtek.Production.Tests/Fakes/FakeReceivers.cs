using System.Collections.Concurrent;
using Bimtek.Coordinator.V1;
using Bimtek.Distribution.V1;
using Grpc.Core;

namespace Bimtek.Production.Tests.Fakes;

/// <summary>
/// The coordinator's QuotaInternalService receivers production's relay calls. Like the real one it
/// deduplicates on request_id (the sender's outbox id): a redelivery is acknowledged and ignored.
/// </summary>
public sealed class FakeQuota : QuotaInternalService.QuotaInternalServiceBase
{
    public ConcurrentDictionary<string, ApplyOutputRecordedRequest> Outputs { get; } = new();
    public ConcurrentDictionary<string, ApplyInspectionResultRequest> Inspections { get; } = new();

    public int Deliveries;

    public override Task<ApplyEffectResponse> ApplyOutputRecorded(ApplyOutputRecordedRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref Deliveries);
        Outputs.TryAdd(request.RequestId, request);
        return Task.FromResult(new ApplyEffectResponse { RequestId = request.RequestId });
    }

    public override Task<ApplyEffectResponse> ApplyInspectionResult(ApplyInspectionResultRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref Deliveries);
        Inspections.TryAdd(request.RequestId, request);
        return Task.FromResult(new ApplyEffectResponse { RequestId = request.RequestId });
    }

    /// <summary>Output effects per report after dedup (must be 1 per recorded report).</summary>
    public int OutputsFor(string reportId) => Outputs.Values.Count(o => o.ReportId == reportId);
}

/// <summary>Distribution's internal ReceiveAcceptedGoods (DistributionInternalService), deduplicating on request_id.</summary>
public sealed class FakeDistribution : DistributionInternalService.DistributionInternalServiceBase
{
    public ConcurrentDictionary<string, ReceiveAcceptedGoodsRequest> Received { get; } = new();

    public override Task<ReceiveAcceptedGoodsResponse> ReceiveAcceptedGoods(ReceiveAcceptedGoodsRequest request, ServerCallContext context)
    {
        Received.TryAdd(request.RequestId, request);
        return Task.FromResult(new ReceiveAcceptedGoodsResponse { RequestId = request.RequestId });
    }

    public int Units(string programmeId) => Received.Values.Where(r => r.ProgrammeId == programmeId).Sum(r => r.Units);
}

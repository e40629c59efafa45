using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Read models: a trainee's daily series, programme totals, defect counts (<see cref="Application.OutputViews"/>).</summary>
internal sealed partial class ProductionGrpcService
{
    public override async Task<TraineeDailySeries> GetTraineeDailySeries(GetTraineeDailySeriesRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        return ProtoMapping.ToProto(await views.DailySeriesAsync(context.GetCaller(), request.ProgrammeId, request.TraineeId, context.CancellationToken));
    }

    public override async Task<ProgrammeTotals> GetProgrammeTotals(GetProgrammeTotalsRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return ProtoMapping.ToProto(await views.TotalsAsync(context.GetCaller(), request.ProgrammeId, context.CancellationToken));
    }

    public override async Task<DefectCounts> GetDefectCounts(GetDefectCountsRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .Id("programme_id", request.ProgrammeId)
            .When(!string.IsNullOrEmpty(request.TraineeId) && !Guid.TryParse(request.TraineeId, out _), "trainee_id", "must be a person id")
            .ThrowIfInvalid();
        return ProtoMapping.ToProto(await views.DefectCountsAsync(context.GetCaller(), request.ProgrammeId, request.TraineeId, context.CancellationToken));
    }
}

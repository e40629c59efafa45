using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Read models: a trainee's daily series, programme totals, defect counts.</summary>
internal sealed partial class ProductionGrpcService
{
    public override async Task<TraineeDailySeries> GetTraineeDailySeries(GetTraineeDailySeriesRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        var caller = context.GetCaller();
        var facts = await directory.EnsureCanReadAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken)
            ?? await directory.CheckAsync(caller, request.ProgrammeId, "", context.CancellationToken);
        var daily = await queries.DailyAsync(request.ProgrammeId, request.TraineeId, context.CancellationToken);
        // Nothing recorded: the trainee must at least be enrolled in the programme, else the id is unknown here.
        if (daily.Count == 0 && !(await directory.CheckAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken)).TraineeEnrolled)
        {
            throw new NotFoundException("trainee", request.TraineeId);
        }
        var series = new TraineeDailySeries { ProgrammeId = request.ProgrammeId, TraineeId = request.TraineeId };
        series.Days.Add(EveryDay(facts, daily));
        return series;
    }

    public override async Task<ProgrammeTotals> GetProgrammeTotals(GetProgrammeTotalsRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        var caller = context.GetCaller();
        var facts = await directory.EnsureCanReadProgrammeAsync(caller, request.ProgrammeId, context.CancellationToken)
            ?? await directory.CheckAsync(caller, request.ProgrammeId, "", context.CancellationToken);
        var totals = await queries.TotalsAsync(request.ProgrammeId, context.CancellationToken);
        totals.ProductCode = facts.ProductCode;
        totals.Days.Add(EveryDay(facts, await queries.DailyAsync(request.ProgrammeId, "", context.CancellationToken)));
        return totals;
    }

    public override async Task<DefectCounts> GetDefectCounts(GetDefectCountsRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .Id("programme_id", request.ProgrammeId)
            .When(!string.IsNullOrEmpty(request.TraineeId) && !Guid.TryParse(request.TraineeId, out _), "trainee_id", "must be a person id")
            .ThrowIfInvalid();
        var caller = context.GetCaller();
        _ = await directory.EnsureCanReadAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken)
            ?? await directory.CheckAsync(caller, request.ProgrammeId, "", context.CancellationToken);
        var counts = new DefectCounts { ProgrammeId = request.ProgrammeId, TraineeId = request.TraineeId };
        counts.Defects.Add(await queries.DefectCountsAsync(request.ProgrammeId, request.TraineeId, context.CancellationToken));
        return counts;
    }
}

using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Application;

/// <summary>
/// The read models of output, for a caller who may read them (<see cref="ProgrammeDirectory.EnsureCanReadAsync"/>): a
/// trainee's daily series and a programme's totals list every programme day (a day without output as zeros), defect
/// counts by code. An unknown programme is NOT_FOUND to privileged callers (participants says so); a trainee with nothing
/// recorded must at least be enrolled in the programme, else the trainee id is unknown here (NOT_FOUND).
/// </summary>
internal sealed class OutputViews(ProgrammeDirectory directory, ProductionQueries queries)
{
    public async Task<TraineeDailySeries> DailySeriesAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        var facts = await ReadAsync(caller, programmeId, traineeId, cancellationToken);
        var daily = await queries.DailyAsync(programmeId, traineeId, cancellationToken);
        if (daily.Count == 0 && !(await directory.CheckAsync(caller, programmeId, traineeId, cancellationToken)).TraineeEnrolled)
        {
            throw new NotFoundException("trainee", traineeId);
        }
        var series = new TraineeDailySeries { ProgrammeId = programmeId, TraineeId = traineeId };
        series.Days.Add(EveryDay(facts, daily));
        return series;
    }

    public async Task<ProgrammeTotals> TotalsAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        var facts = await ReadAsync(caller, programmeId, "", cancellationToken);
        var totals = await queries.TotalsAsync(programmeId, cancellationToken);
        totals.ProductCode = facts.ProductCode;
        totals.Days.Add(EveryDay(facts, await queries.DailyAsync(programmeId, "", cancellationToken)));
        return totals;
    }

    public async Task<DefectCounts> DefectCountsAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        await ReadAsync(caller, programmeId, traineeId, cancellationToken);
        var counts = new DefectCounts { ProgrammeId = programmeId, TraineeId = traineeId };
        counts.Defects.Add(await queries.DefectCountsAsync(programmeId, traineeId, cancellationToken));
        return counts;
    }

    /// <summary>The programme's facts for a reader (asked of participants also for privileged callers: an unknown programme is NOT_FOUND).</summary>
    private async Task<ProgrammeFacts> ReadAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken) =>
        await directory.EnsureCanReadAsync(caller, programmeId, traineeId, cancellationToken)
        ?? await directory.CheckAsync(caller, programmeId, "", cancellationToken);

    private static IEnumerable<DailyOutput> EveryDay(ProgrammeFacts facts, IReadOnlyDictionary<string, DailyOutput> daily) =>
        facts.Days().Select(d => daily.TryGetValue(DayRules.ToText(d), out var output) ? output : new DailyOutput { Day = DayRules.ToDate(d) });
}

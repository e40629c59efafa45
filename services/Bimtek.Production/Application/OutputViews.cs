using Bimtek.Production.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Application;

/// <summary>
/// The read models of output, for a caller who may read them (<see cref="ProgrammeDirectory.EnsureCanReadAsync"/>): a
/// trainee's daily series and a programme's totals list every programme day (a day without output as zeros), defect
/// counts by code. An unknown programme is NOT_FOUND to privileged callers (participants says so); a trainee with nothing
/// recorded must at least be enrolled in the programme, else the trainee id is unknown here (NOT_FOUND).
/// </summary>
internal sealed class OutputViews(ProgrammeDirectory directory, ProductionQueries queries)
{
    public async Task<OutputSeries> DailySeriesAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        var facts = await ReadAsync(caller, programmeId, traineeId, cancellationToken);
        var daily = await queries.DailyAsync(programmeId, traineeId, cancellationToken);
        if (daily.Count == 0 && !(await directory.CheckAsync(caller, programmeId, traineeId, cancellationToken)).TraineeEnrolled)
        {
            throw new NotFoundException("trainee", traineeId);
        }
        return new OutputSeries(programmeId, traineeId, EveryDay(facts, daily));
    }

    public async Task<OutputTotals> TotalsAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        var facts = await ReadAsync(caller, programmeId, "", cancellationToken);
        var totals = await queries.TotalsAsync(programmeId, cancellationToken);
        return new OutputTotals(programmeId, facts.ProductCode, totals, EveryDay(facts, await queries.DailyAsync(programmeId, "", cancellationToken)));
    }

    public async Task<DefectTallies> DefectCountsAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        await ReadAsync(caller, programmeId, traineeId, cancellationToken);
        return new DefectTallies(programmeId, traineeId, await queries.DefectCountsAsync(programmeId, traineeId, cancellationToken));
    }

    /// <summary>The programme's facts for a reader (asked of participants also for privileged callers: an unknown programme is NOT_FOUND).</summary>
    private async Task<ProgrammeFacts> ReadAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken) =>
        await directory.EnsureCanReadAsync(caller, programmeId, traineeId, cancellationToken)
        ?? await directory.CheckAsync(caller, programmeId, "", cancellationToken);

    private static List<OutputDay> EveryDay(ProgrammeFacts facts, IReadOnlyDictionary<string, DayFigures> daily) =>
        [.. facts.Days().Select(d => new OutputDay(d, daily.GetValueOrDefault(CalendarDays.ToText(d))))];
}

/// <summary>A programme day and its figures (null: nothing reported or inspected that day).</summary>
internal sealed record OutputDay(DateOnly Day, DayFigures? Figures);

/// <summary>A trainee's output on every programme day.</summary>
internal sealed record OutputSeries(string ProgrammeId, string TraineeId, IReadOnlyList<OutputDay> Days);

/// <summary>A programme's totals and its output on every programme day.</summary>
internal sealed record OutputTotals(string ProgrammeId, string ProductCode, TotalFigures Figures, IReadOnlyList<OutputDay> Days);

/// <summary>Defect counts of a programme, or of one trainee in it.</summary>
internal sealed record DefectTallies(string ProgrammeId, string TraineeId, IReadOnlyList<DefectTally> Defects);

using Bimtek.Data.Persistence;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;

namespace Bimtek.Materials.Application;

/// <summary>One trainee's yield in one programme, its lines in material-code order.</summary>
internal sealed record TraineeYieldView(string TraineeId, string ProgrammeId, YieldFigures Figures);

/// <summary>
/// Yields of a programme's trainees (<see cref="YieldRule"/>): what was sent to each home, consumed, returned and
/// adjusted there, against what the BOM expects and allows for the units reported. A read: no transaction.
/// </summary>
internal static class YieldReports
{
    /// <summary>A page of the programme's trainees with ledger entries or reports, or the one named trainee (a one-row list).</summary>
    public static async Task<(IReadOnlyList<TraineeYieldView> Yields, string NextPageToken)> ListAsync(
        DbSession db, string programmeId, string traineeId, KeysetPage page)
    {
        var (trainees, next) = traineeId.Length > 0
            ? (page.IsFirst ? [traineeId] : [], "")
            : ListQueries.YieldTrainees.Cut(await ListQueries.YieldTraineesAsync(db, programmeId, page), page);
        var yields = new List<TraineeYieldView>();
        foreach (var trainee in trainees)
        {
            yields.Add(await YieldAsync(db, programmeId, trainee));
        }
        return (yields, next);
    }

    /// <summary>
    /// Sent, consumed and returned count the programme's movements at the home and those tied to no programme;
    /// adjustments and on-hand are the home's (a home serves its trainee, whatever the programme).
    /// </summary>
    private static async Task<TraineeYieldView> YieldAsync(DbSession db, string programmeId, string traineeId)
    {
        var home = await Queries.HomeAsync(db, traineeId);
        var homeId = home?.LocationId ?? "";
        var sums = await YieldStore.HomeSumsAsync(db, homeId, programmeId);
        var onHand = homeId.Length > 0 ? await Queries.BalancesAtAsync(db, homeId) : [];
        var reports = new List<ReportedUnits>();
        foreach (var report in await YieldStore.UnitsByBomAsync(db, programmeId, traineeId))
        {
            var bom = await CatalogueStore.BomAsync(db, report.ProductId, report.BomVersion);
            reports.Add(new ReportedUnits(report.Units, bom?.Specs() ?? []));
        }
        var figures = YieldRule.Of(new HomeMovements(sums.Sent, sums.Consumed, sums.Returned, sums.Adjusted, onHand), reports);
        var materials = await Queries.MaterialsAsync(db, figures.Lines.Select(l => l.MaterialId));
        var ordered = figures.Lines.OrderBy(l => materials.TryGetValue(l.MaterialId, out var m) ? m.Code : l.MaterialId, StringComparer.Ordinal).ToList();
        return new TraineeYieldView(traineeId, programmeId, figures with { Lines = ordered });
    }
}

namespace Bimtek.Audit;

/// <summary>What every service holds about one programme's output reports, read at the source.</summary>
public sealed record ProgrammeFigures(
    string ProgrammeId,
    IReadOnlyList<ProductionReport> ProductionReports,
    IReadOnlyList<MaterialsConsumption> Consumptions,
    IReadOnlyDictionary<string, int> CoordinatorProduced);

/// <summary>A row of production's output_reports (rework reports excluded: they move units, produce none).</summary>
public sealed record ProductionReport(string ReportId, string RequestId, string TraineeId, int Units, string Status, int Attempts, DateTimeOffset ReportedAt);

/// <summary>
/// Materials' consumption for one report id: its consumption_reports row, its ledger entries, and what its
/// bill of materials (the version it was consumed under) says it should have taken per material.
/// </summary>
public sealed record MaterialsConsumption(
    string ReportId,
    string TraineeId,
    int Units,
    int Movements,
    IReadOnlyDictionary<string, long> ConsumedByMaterial,
    IReadOnlyDictionary<string, long> ExpectedByMaterial);

/// <summary>Outbox rows of one service's database by status, with the oldest pending row's age.</summary>
public sealed record OutboxCounts(string Service, long Pending, long Parked, long Delivered, long DeliveredAfterRetries, TimeSpan OldestPending)
{
    public override string ToString() =>
        $"{Service}: pending {Pending} (oldest {OldestPending.TotalSeconds:0} s), parked {Parked}, delivered {Delivered} ({DeliveredAfterRetries} after retries)";
}

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

/// <summary>
/// What production accepted and distribution received and handed over for one programme, read at the source: the
/// relation the audit checks is accepted (production's inspections) = received (distribution's goods receipts, one per
/// accepting inspection, summed in its finished goods) ≥ handed over (its handovers not cancelled).
/// </summary>
public sealed record GoodsFigures(
    string ProgrammeId,
    IReadOnlyList<AcceptedInspection> Accepted,
    IReadOnlyList<GoodsReceipt> Receipts,
    IReadOnlyList<FinishedGoods> FinishedGoods,
    IReadOnlyList<HandoverUnits> Handovers,
    IReadOnlyList<RecipientHolding> Holdings);

/// <summary>A production inspection that finally accepted units (at inspection, or at a health expert's sign-off).</summary>
public sealed record AcceptedInspection(string InspectionId, string ProductCode, int Units, DateTimeOffset AcceptedAt);

/// <summary>A row of distribution's goods_receipts: one accepted-goods effect from production.</summary>
public sealed record GoodsReceipt(string ReceiptId, string InspectionId, string ProductCode, long Units);

/// <summary>Distribution's running balance of one programme's product.</summary>
public sealed record FinishedGoods(string ProductCode, long ReceivedUnits, long HandedOverUnits);

/// <summary>A handover's units; status 3 is CANCELLED (its units went back to the finished goods).</summary>
public sealed record HandoverUnits(string HandoverId, string DocumentNumber, string ProductCode, string RecipientId, long Units, int Status)
{
    public const int Cancelled = 3;

    public bool Counts => Status != Cancelled;
}

/// <summary>What distribution says one recipient received of a programme's product (handovers not cancelled).</summary>
public sealed record RecipientHolding(string RecipientId, string ProductCode, long ReceivedUnits);

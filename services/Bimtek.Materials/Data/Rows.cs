namespace Bimtek.Materials.Data;

// Row shapes for Dapper: classes with settable properties, so the numeric types of both engines
// (SQLite returns Int64 for every integer) convert into the declared ones.

internal sealed class MaterialRow
{
    public string MaterialId { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int BaseUnit { get; set; }
    public string Description { get; set; } = "";
    public long CreatedAt { get; set; }
}

internal sealed class ProductRow
{
    public string ProductId { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string UnitName { get; set; } = "";
    public int Medical { get; set; }
    public int CurrentBomVersion { get; set; }
    public long CreatedAt { get; set; }
}

internal sealed class BomVersionRow
{
    public string ProductId { get; set; } = "";
    public int Version { get; set; }
    public string Note { get; set; } = "";
    public long CreatedAt { get; set; }
}

internal sealed class BomLineRow
{
    public string ProductId { get; set; } = "";
    public int Version { get; set; }
    public string MaterialId { get; set; } = "";
    public long QuantityPerUnit { get; set; }
    public int WastePerMille { get; set; }
    public string MaterialCode { get; set; } = "";
    public int BaseUnit { get; set; }
}

internal sealed class LocationRow
{
    public string LocationId { get; set; } = "";
    public int Kind { get; set; }
    public string Name { get; set; } = "";
    public string District { get; set; } = "";
    public string? TraineeId { get; set; }
    public string TraineeSubject { get; set; } = "";
    public long CreatedAt { get; set; }

    /// <summary>The office the location belongs to; empty: the deployment's default office.</summary>
    public string Office { get; set; } = "";

    public bool IsTraineeHome => Kind == (int)V1.LocationKind.TraineeHome;
}

internal sealed class MovementRow
{
    public string MovementId { get; set; } = "";
    public int Kind { get; set; }
    public string FromLocationId { get; set; } = "";
    public string ToLocationId { get; set; } = "";
    public string SupplierDocumentNumber { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string ReportId { get; set; } = "";
    public string KitPlanId { get; set; } = "";
    public string Reason { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public long RecordedAt { get; set; }
}

internal sealed class LedgerEntryRow
{
    public string EntryId { get; set; } = "";
    public string MovementId { get; set; } = "";
    public int Seq { get; set; }
    public int Kind { get; set; }
    public string LocationId { get; set; } = "";
    public string MaterialId { get; set; } = "";
    public string LotId { get; set; } = "";
    public long QuantityDelta { get; set; }
    public long BalanceAfter { get; set; }
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string ReportId { get; set; } = "";
    public long RecordedAt { get; set; }
}

internal sealed class BalanceRow
{
    public string LocationId { get; set; } = "";
    public string MaterialId { get; set; } = "";
    public long Quantity { get; set; }
    public int BaseUnit { get; set; }
    public string MaterialCode { get; set; } = "";
    public long UpdatedAt { get; set; }
}

internal sealed class LotRow
{
    public string LotId { get; set; } = "";
    public string LotCode { get; set; } = "";
    public string MaterialId { get; set; } = "";
    public string ReceiptMovementId { get; set; } = "";
    public string SupplierDocumentNumber { get; set; } = "";
    public long ReceivedQuantity { get; set; }
    public long RemainingQuantity { get; set; }
    public long ReceivedAt { get; set; }
}

internal sealed class LotHoldingRow
{
    public string MaterialId { get; set; } = "";
    public string LotId { get; set; } = "";
    public long Quantity { get; set; }
}

internal sealed class KitPlanRow
{
    public string KitPlanId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string ProductId { get; set; } = "";
    public int BomVersion { get; set; }
    public string SourceLocationId { get; set; } = "";
    public long CreatedAt { get; set; }
}

internal sealed class KitRow
{
    public string TraineeId { get; set; } = "";
    public int Position { get; set; }
    public int Quota { get; set; }
    public string TraineeSubject { get; set; } = "";
    public int Status { get; set; }
    public string HomeLocationId { get; set; } = "";
    public string MovementId { get; set; } = "";
}

internal sealed class KitLineRow
{
    public string TraineeId { get; set; } = "";
    public string MaterialId { get; set; } = "";
    public long Quantity { get; set; }
}

internal sealed class ConsumptionReportRow
{
    public string ReportId { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public int BomVersion { get; set; }
    public string MovementId { get; set; } = "";
}

/// <summary>A published BOM version with its lines (in material-code order); versions never change once written.</summary>
internal sealed record StoredBom(BomVersionRow Row, IReadOnlyList<BomLineRow> Lines)
{
    public int Version => Row.Version;

    public IReadOnlyList<Domain.BomLineSpec> Specs() =>
        Lines.Select(l => new Domain.BomLineSpec(l.MaterialId, l.QuantityPerUnit, l.WastePerMille)).ToList();
}

/// <summary>A stock movement with its ledger entries in seq order.</summary>
internal sealed record StoredMovement(MovementRow Row, IReadOnlyList<LedgerEntryRow> Entries);

/// <summary>A kit plan as stored, with the codes of its materials and the source's balances as of the read.</summary>
internal sealed record StoredKitPlan(
    KitPlanRow Plan,
    IReadOnlyList<KitRow> Kits,
    ILookup<string, KitLineRow> LinesByTrainee,
    IReadOnlyDictionary<string, string> MaterialCodes,
    IReadOnlyDictionary<string, long> SourceBalances)
{
    public string CodeOf(string materialId) => MaterialCodes.TryGetValue(materialId, out var code) ? code : materialId;
}

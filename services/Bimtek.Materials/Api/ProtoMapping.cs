using Bimtek.Materials.Data;
using Bimtek.Materials.V1;

namespace Bimtek.Materials.Api;

/// <summary>Rows to contract messages.</summary>
internal static class ProtoMapping
{
    public static Material ToMaterial(MaterialRow row) => new()
    {
        MaterialId = row.MaterialId,
        Code = row.Code,
        Name = row.Name,
        BaseUnit = (BaseUnit)row.BaseUnit,
        Description = row.Description,
        CreatedAt = Time.ToTimestamp(row.CreatedAt),
    };

    public static BomVersion ToBomVersion(BomVersionRow version, IEnumerable<BomLineRow> lines)
    {
        var message = new BomVersion
        {
            ProductId = version.ProductId,
            Version = version.Version,
            Note = version.Note,
            CreatedAt = Time.ToTimestamp(version.CreatedAt),
        };
        message.Lines.Add(lines.Select(l => new BomLine
        {
            MaterialId = l.MaterialId,
            QuantityPerUnit = l.QuantityPerUnit,
            WastePerMille = l.WastePerMille,
            MaterialCode = l.MaterialCode,
            BaseUnit = (BaseUnit)l.BaseUnit,
        }));
        return message;
    }

    public static Product ToProduct(ProductRow row, BomVersion? current) => new()
    {
        ProductId = row.ProductId,
        Code = row.Code,
        Name = row.Name,
        UnitName = row.UnitName,
        Medical = row.Medical != 0,
        CurrentBom = current,
        CreatedAt = Time.ToTimestamp(row.CreatedAt),
    };

    public static Location ToLocation(LocationRow row) => new()
    {
        LocationId = row.LocationId,
        Kind = (LocationKind)row.Kind,
        Name = row.Name,
        District = row.District,
        TraineeId = row.TraineeId ?? "",
        TraineeSubject = row.TraineeSubject,
        CreatedAt = Time.ToTimestamp(row.CreatedAt),
        Office = row.Office,
    };

    public static StockMovement ToMovement(MovementRow row, IEnumerable<LedgerEntryRow> entries)
    {
        var movement = new StockMovement
        {
            MovementId = row.MovementId,
            Kind = (MovementKind)row.Kind,
            FromLocationId = row.FromLocationId,
            ToLocationId = row.ToLocationId,
            SupplierDocumentNumber = row.SupplierDocumentNumber,
            ProgrammeId = row.ProgrammeId,
            TraineeId = row.TraineeId,
            ReportId = row.ReportId,
            KitPlanId = row.KitPlanId,
            Reason = row.Reason,
            RecordedBy = row.RecordedBy,
            RecordedAt = Time.ToTimestamp(row.RecordedAt),
        };
        movement.Entries.Add(entries.Select(ToEntry));
        return movement;
    }

    public static LedgerEntry ToEntry(LedgerEntryRow row) => new()
    {
        EntryId = row.EntryId,
        MovementId = row.MovementId,
        Kind = (MovementKind)row.Kind,
        LocationId = row.LocationId,
        MaterialId = row.MaterialId,
        LotId = row.LotId,
        QuantityDelta = row.QuantityDelta,
        BalanceAfter = row.BalanceAfter,
        ProgrammeId = row.ProgrammeId,
        TraineeId = row.TraineeId,
        ReportId = row.ReportId,
        RecordedAt = Time.ToTimestamp(row.RecordedAt),
    };

    public static Balance ToBalance(BalanceRow row) => new()
    {
        LocationId = row.LocationId,
        MaterialId = row.MaterialId,
        Quantity = row.Quantity,
        BaseUnit = (BaseUnit)row.BaseUnit,
        MaterialCode = row.MaterialCode,
        UpdatedAt = Time.ToTimestamp(row.UpdatedAt),
    };

    public static Lot ToLot(LotRow row) => new()
    {
        LotId = row.LotId,
        LotCode = row.LotCode,
        MaterialId = row.MaterialId,
        ReceiptMovementId = row.ReceiptMovementId,
        SupplierDocumentNumber = row.SupplierDocumentNumber,
        ReceivedQuantity = row.ReceivedQuantity,
        RemainingQuantity = row.RemainingQuantity,
        ReceivedAt = Time.ToTimestamp(row.ReceivedAt),
    };
}

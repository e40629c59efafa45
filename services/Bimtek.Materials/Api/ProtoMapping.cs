using Bimtek.Materials.Application;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Materials.Api;

/// <summary>Rows, domain figures and use-case views to contract messages.</summary>
internal static class ProtoMapping
{
    public static Material ToMaterial(MaterialRow row) => new()
    {
        MaterialId = row.MaterialId,
        Code = row.Code,
        Name = row.Name,
        BaseUnit = (BaseUnit)row.BaseUnit,
        Description = row.Description,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
    };

    public static BomVersion ToBomVersion(StoredBom bom)
    {
        var message = new BomVersion
        {
            ProductId = bom.Row.ProductId,
            Version = bom.Row.Version,
            Note = bom.Row.Note,
            CreatedAt = Instants.ToTimestamp(bom.Row.CreatedAt),
        };
        message.Lines.Add(bom.Lines.Select(l => new BomLine
        {
            MaterialId = l.MaterialId,
            QuantityPerUnit = l.QuantityPerUnit,
            WastePerMille = l.WastePerMille,
            MaterialCode = l.MaterialCode,
            BaseUnit = (BaseUnit)l.BaseUnit,
        }));
        return message;
    }

    public static Product ToProduct(ProductRow row, StoredBom? current) => new()
    {
        ProductId = row.ProductId,
        Code = row.Code,
        Name = row.Name,
        UnitName = row.UnitName,
        Medical = row.Medical != 0,
        CurrentBom = current is null ? null : ToBomVersion(current),
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
    };

    public static Location ToLocation(LocationRow row) => new()
    {
        LocationId = row.LocationId,
        Kind = (LocationKind)row.Kind,
        Name = row.Name,
        District = row.District,
        TraineeId = row.TraineeId ?? "",
        TraineeSubject = row.TraineeSubject,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
        Office = row.Office,
    };

    public static ConsumeForOutputResponse ToConsumeForOutputResponse(ConsumedOutput consumed) => new()
    {
        Movement = consumed.Movement is null ? null : ToMovement(consumed.Movement),
        BomVersion = consumed.BomVersion,
    };

    public static StockMovement ToMovement(StoredMovement stored)
    {
        var row = stored.Row;
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
            RecordedAt = Instants.ToTimestamp(row.RecordedAt),
        };
        movement.Entries.Add(stored.Entries.Select(ToEntry));
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
        RecordedAt = Instants.ToTimestamp(row.RecordedAt),
    };

    public static Balance ToBalance(BalanceRow row) => new()
    {
        LocationId = row.LocationId,
        MaterialId = row.MaterialId,
        Quantity = row.Quantity,
        BaseUnit = (BaseUnit)row.BaseUnit,
        MaterialCode = row.MaterialCode,
        UpdatedAt = Instants.ToTimestamp(row.UpdatedAt),
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
        ReceivedAt = Instants.ToTimestamp(row.ReceivedAt),
    };

    /// <summary>Each kit's lines in material-code order; the totals and shortages as <see cref="KitTotals"/> computed them.</summary>
    public static KitPlan ToKitPlan(KitPlanView view)
    {
        var stored = view.Stored;
        var message = new KitPlan
        {
            KitPlanId = stored.Plan.KitPlanId,
            ProgrammeId = stored.Plan.ProgrammeId,
            ProductId = stored.Plan.ProductId,
            BomVersion = stored.Plan.BomVersion,
            SourceLocationId = stored.Plan.SourceLocationId,
            CreatedAt = Instants.ToTimestamp(stored.Plan.CreatedAt),
        };
        foreach (var kit in stored.Kits)
        {
            var trainee = new TraineeKit
            {
                TraineeId = kit.TraineeId,
                Quota = kit.Quota,
                Status = (KitStatus)kit.Status,
                HomeLocationId = kit.HomeLocationId,
                MovementId = kit.MovementId,
                TraineeSubject = kit.TraineeSubject,
            };
            trainee.Lines.Add(stored.LinesByTrainee[kit.TraineeId].OrderBy(l => stored.CodeOf(l.MaterialId), StringComparer.Ordinal)
                .Select(l => new MaterialQuantity { MaterialId = l.MaterialId, Quantity = l.Quantity }));
            message.Kits.Add(trainee);
        }
        message.Totals.Add(view.Totals.Totals.Select(t => new MaterialQuantity { MaterialId = t.MaterialId, Quantity = t.Quantity }));
        message.Shortages.Add(view.Totals.Shortages.Select(s => new MaterialShortage
        {
            MaterialId = s.MaterialId,
            MaterialCode = s.MaterialCode,
            Required = s.Required,
            Available = s.Available,
            Shortfall = s.Shortfall,
        }));
        return message;
    }

    public static Capacity ToCapacity(string traineeId, string productId, ProductCapacity capacity)
    {
        var message = new Capacity
        {
            TraineeId = traineeId,
            ProductId = productId,
            UnitsPossible = capacity.UnitsPossible,
            LimitingMaterialId = capacity.LimitingMaterialId,
        };
        message.Lines.Add(capacity.Lines.Select(l => new CapacityLine
        {
            MaterialId = l.MaterialId,
            OnHand = l.OnHand,
            QuantityPerUnit = l.QuantityPerUnit,
            UnitsPossible = l.UnitsPossible,
        }));
        return message;
    }

    public static TraineeYield ToYield(TraineeYieldView view)
    {
        var message = new TraineeYield
        {
            TraineeId = view.TraineeId,
            ProgrammeId = view.ProgrammeId,
            UnitsReported = view.Figures.UnitsReported,
            OverAllowance = view.Figures.OverAllowance,
        };
        message.Lines.Add(view.Figures.Lines.Select(l => new YieldLine
        {
            MaterialId = l.MaterialId,
            Sent = l.Sent,
            Consumed = l.Consumed,
            Returned = l.Returned,
            Adjusted = l.Adjusted,
            OnHand = l.OnHand,
            ExpectedByBom = l.ExpectedByBom,
            AllowedWithWaste = l.AllowedWithWaste,
            OverAllowance = l.OverAllowance,
        }));
        return message;
    }
}

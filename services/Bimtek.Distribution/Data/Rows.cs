using Bimtek.Distribution.Domain;

namespace Bimtek.Distribution.Data;

// Rows as Dapper reads them. Settable properties let Dapper convert PostgreSQL int32/int64 and
// SQLite int64 alike. Instants (*At) are Unix milliseconds (Bimtek.ServiceDefaults.Time.Instants).

internal sealed class RecipientRow
{
    public string RecipientId { get; set; } = "";
    public long Kind { get; set; }
    public string Name { get; set; } = "";
    public string District { get; set; } = "";
    public string ContactPerson { get; set; } = "";
    public string Phone { get; set; } = "";
    public long CreatedAt { get; set; }
    public List<string> UserSubjects { get; set; } = [];

    /// <summary>The office the recipient belongs to; empty: the deployment's default office.</summary>
    public string Office { get; set; } = "";
}

internal sealed class FinishedGoodsRow
{
    public string ProgrammeId { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public long ReceivedUnits { get; set; }
    public long HandedOverUnits { get; set; }
    public long UpdatedAt { get; set; }
}

internal sealed class HandoverRow
{
    public string HandoverId { get; set; } = "";
    public string DocumentNumber { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string ProgrammeTitle { get; set; } = "";
    public string ProgrammeCode { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public string ProductName { get; set; } = "";
    public long Units { get; set; }
    public long DeliveredUnits { get; set; }
    public string RecipientId { get; set; } = "";
    public string RecipientName { get; set; } = "";
    public string Day { get; set; } = "";
    public string Place { get; set; } = "";
    public string GiverName { get; set; } = "";
    public string GiverPosition { get; set; } = "";
    public string ReceiverName { get; set; } = "";
    public string ReceiverPosition { get; set; } = "";
    public string Note { get; set; } = "";
    public long Status { get; set; }

    /// <summary><see cref="Status"/> as the lifecycle names it.</summary>
    public HandoverState State => (HandoverState)Status;

    public string CancellationReason { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? ConfirmedAt { get; set; }
    public long? CancelledAt { get; set; }
}

internal sealed class OnwardDeliveryRow
{
    public string OnwardDeliveryId { get; set; } = "";
    public string RecipientId { get; set; } = "";
    public string HandoverId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public string Place { get; set; } = "";
    public string Day { get; set; } = "";
    public long Units { get; set; }
    public long Households { get; set; }
    public string Note { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public long CreatedAt { get; set; }
}

internal sealed class RecipientReportRowData
{
    public string RecipientId { get; set; } = "";
    public string RecipientName { get; set; } = "";
    public long RecipientKind { get; set; }
    public string ProgrammeId { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public long ReceivedUnits { get; set; }
    public long DeliveredUnits { get; set; }
    public long Households { get; set; }
    public long HandoverCount { get; set; }
}

internal sealed class ProductSumRow
{
    public string ProductCode { get; set; } = "";
    public long Units { get; set; }
    public long Households { get; set; }
}

using Bimtek.Common.V1;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;

namespace Bimtek.Distribution.Api;

/// <summary>Rows to contract messages.</summary>
internal static class ProtoMapping
{
    public static Recipient ToProto(this RecipientRow row)
    {
        var recipient = new Recipient
        {
            RecipientId = row.RecipientId,
            Kind = (RecipientKind)row.Kind,
            Name = row.Name,
            District = row.District,
            ContactPerson = row.ContactPerson,
            Phone = row.Phone,
            CreatedAt = Iso.ToTimestamp(row.CreatedAt),
            Office = row.Office,
        };
        recipient.UserSubjects.Add(row.UserSubjects);
        return recipient;
    }

    public static FinishedGoods ToProto(this FinishedGoodsRow row) => new()
    {
        ProgrammeId = row.ProgrammeId,
        ProductCode = row.ProductCode,
        ReceivedUnits = checked((int)row.ReceivedUnits),
        HandedOverUnits = checked((int)row.HandedOverUnits),
        AvailableUnits = checked((int)(row.ReceivedUnits - row.HandedOverUnits)),
        UpdatedAt = Iso.ToTimestamp(row.UpdatedAt),
    };

    public static Handover ToProto(this HandoverRow row) => new()
    {
        HandoverId = row.HandoverId,
        DocumentNumber = row.DocumentNumber,
        ProgrammeId = row.ProgrammeId,
        ProgrammeTitle = row.ProgrammeTitle,
        ProgrammeCode = row.ProgrammeCode,
        ProductCode = row.ProductCode,
        ProductName = row.ProductName,
        Units = checked((int)row.Units),
        RecipientId = row.RecipientId,
        RecipientName = row.RecipientName,
        Day = Iso.ToDate(row.Day),
        Place = row.Place,
        Giver = new Signatory { Name = row.GiverName, Position = row.GiverPosition },
        Receiver = new Signatory { Name = row.ReceiverName, Position = row.ReceiverPosition },
        Note = row.Note,
        Status = (HandoverStatus)row.Status,
        CancellationReason = row.CancellationReason,
        CreatedAt = Iso.ToTimestamp(row.CreatedAt),
        ConfirmedAt = Iso.ToTimestampOrNull(row.ConfirmedAt),
        CancelledAt = Iso.ToTimestampOrNull(row.CancelledAt),
    };

    public static OnwardDelivery ToProto(this OnwardDeliveryRow row) => new()
    {
        OnwardDeliveryId = row.OnwardDeliveryId,
        RecipientId = row.RecipientId,
        HandoverId = row.HandoverId,
        ProgrammeId = row.ProgrammeId,
        ProductCode = row.ProductCode,
        Place = row.Place,
        Day = Iso.ToDate(row.Day),
        Units = checked((int)row.Units),
        Households = checked((int)row.Households),
        Note = row.Note,
        RecordedBy = row.RecordedBy,
        CreatedAt = Iso.ToTimestamp(row.CreatedAt),
    };

    public static RecipientReportRow ToProto(this RecipientReportRowData row) => new()
    {
        RecipientId = row.RecipientId,
        RecipientName = row.RecipientName,
        RecipientKind = (RecipientKind)row.RecipientKind,
        ProgrammeId = row.ProgrammeId,
        ProductCode = row.ProductCode,
        ReceivedUnits = checked((int)row.ReceivedUnits),
        DeliveredOnwardUnits = checked((int)row.DeliveredUnits),
        HeldUnits = checked((int)(row.ReceivedUnits - row.DeliveredUnits)),
        Households = checked((int)row.Households),
        HandoverCount = checked((int)row.HandoverCount),
    };
}

using Bimtek.Common.V1;
using Bimtek.Distribution.Application;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Distribution.Api;

/// <summary>Rows and use cases' results to contract messages.</summary>
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
            CreatedAt = Instants.ToTimestamp(row.CreatedAt),
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
        AvailableUnits = checked((int)GoodsBounds.Left(row.ReceivedUnits, row.HandedOverUnits)),
        UpdatedAt = Instants.ToTimestamp(row.UpdatedAt),
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
        Day = CalendarDays.ToDate(row.Day),
        Place = row.Place,
        Giver = new Signatory { Name = row.GiverName, Position = row.GiverPosition },
        Receiver = new Signatory { Name = row.ReceiverName, Position = row.ReceiverPosition },
        Note = row.Note,
        Status = (HandoverStatus)row.Status,
        CancellationReason = row.CancellationReason,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
        ConfirmedAt = Instants.ToTimestamp(row.ConfirmedAt),
        CancelledAt = Instants.ToTimestamp(row.CancelledAt),
    };

    public static OnwardDelivery ToProto(this OnwardDeliveryRow row) => new()
    {
        OnwardDeliveryId = row.OnwardDeliveryId,
        RecipientId = row.RecipientId,
        HandoverId = row.HandoverId,
        ProgrammeId = row.ProgrammeId,
        ProductCode = row.ProductCode,
        Place = row.Place,
        Day = CalendarDays.ToDate(row.Day),
        Units = checked((int)row.Units),
        Households = checked((int)row.Households),
        Note = row.Note,
        RecordedBy = row.RecordedBy,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
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
        HeldUnits = checked((int)GoodsBounds.Left(row.ReceivedUnits, row.DeliveredUnits)),
        Households = checked((int)row.Households),
        HandoverCount = checked((int)row.HandoverCount),
    };

    public static RecipientReportRow ToProto(this NamedRecipientRow named)
    {
        var proto = named.Row.ToProto();
        if (named.Programme is { } programme)
        {
            proto.ProgrammeCode = programme.Code;
            proto.ProgrammeTitle = programme.Title;
        }
        proto.ProductName = named.ProductName;
        return proto;
    }

    public static ProgrammeFlowReport ToProto(this ProgrammeFlow flow)
    {
        var report = new ProgrammeFlowReport
        {
            ProgrammeId = flow.ProgrammeId,
            ProgrammeCode = flow.ProgrammeCode,
            ProgrammeTitle = flow.ProgrammeTitle,
            GeneratedAt = Instants.ToTimestamp(flow.GeneratedAt),
        };
        report.Products.Add(flow.Products.Select(p => new ProductFlow
        {
            ProductCode = p.Figures.ProductCode,
            ProductName = p.ProductName,
            // Production's accepted-goods effect carries no produced (reported) figure.
            ProducedUnits = 0,
            ProducedUnitsKnown = false,
            AcceptedUnits = checked((int)p.Figures.Accepted),
            HandedOverUnits = checked((int)p.Figures.HandedOver),
            ConfirmedUnits = checked((int)p.Figures.Confirmed),
            DeliveredOnwardUnits = checked((int)p.Figures.DeliveredOnward),
            Households = checked((int)p.Figures.Households),
            AvailableUnits = checked((int)p.Figures.Available),
        }));
        return report;
    }

    /// <summary>The answer to production's accepted goods: the request it acknowledges.</summary>
    public static ReceiveAcceptedGoodsResponse ToReceived(ReceiveAcceptedGoodsRequest request) => new() { RequestId = request.RequestId };
}

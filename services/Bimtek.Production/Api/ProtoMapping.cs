using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Api;

/// <summary>Rows to contract messages.</summary>
internal static class ProtoMapping
{
    public static OutputReport ToProto(ReportRow r)
    {
        var report = new OutputReport
        {
            ReportId = r.ReportId,
            ProgrammeId = r.ProgrammeId,
            TraineeId = r.TraineeId,
            ProductCode = r.ProductCode,
            Day = CalendarDays.ToDate(r.Day),
            Units = (int)r.Units,
            Note = r.Note,
            PhotoUrl = r.PhotoUrl,
            ReworkOrderId = r.ReworkOrderId,
            Status = r.Status switch
            {
                ReportStatus.Recorded => OutputReportStatus.Recorded,
                ReportStatus.Rejected => OutputReportStatus.Rejected,
                _ => OutputReportStatus.Pending,
            },
            RejectionReason = r.RejectionReason,
            InspectedUnits = (int)r.InspectedUnits,
            ReportedBy = r.ReportedBy,
            ReportedAt = Instants.ToTimestamp(r.ReportedAt),
        };
        if (r.SettledAt is { } settled)
        {
            report.SettledAt = Instants.ToTimestamp(settled);
        }
        return report;
    }

    public static string ToStored(OutputReportStatus status) => status switch
    {
        OutputReportStatus.Pending => ReportStatus.Pending,
        OutputReportStatus.Recorded => ReportStatus.Recorded,
        OutputReportStatus.Rejected => ReportStatus.Rejected,
        _ => "",
    };

    public static Inspection ToProto(StoredInspection stored)
    {
        var inspection = ToProto(stored.Row, stored.Reports, stored.Defects, stored.Labels);
        inspection.PhotoIds.Add(stored.PhotoIds);
        inspection.SignOff?.PhotoIds.Add(stored.SignOffPhotoIds);
        return inspection;
    }

    private static Inspection ToProto(InspectionRow i, IEnumerable<InspectionReportRow> reports, IEnumerable<DefectRow> defects, IReadOnlyDictionary<string, string> labels)
    {
        var inspection = new Inspection
        {
            InspectionId = i.InspectionId,
            ProgrammeId = i.ProgrammeId,
            TraineeId = i.TraineeId,
            ProductCode = i.ProductCode,
            InspectedUnits = (int)i.InspectedUnits,
            PassedUnits = (int)i.PassedUnits,
            RejectedUnits = (int)i.RejectedUnits,
            InspectorId = i.InspectorId,
            InspectorRole = (InspectorRole)i.InspectorRole,
            Status = (InspectionStatus)i.Status,
            AcceptedUnits = (int)i.AcceptedUnits,
            AwaitingSignOffUnits = (int)i.AwaitingSignOffUnits,
            SentBackUnits = (int)i.SentBackUnits,
            Note = i.Note,
            InspectedAt = Instants.ToTimestamp(i.InspectedAt),
        };
        inspection.Reports.Add(reports.OrderBy(r => r.Position).Select(r => new InspectedReport { ReportId = r.ReportId, Units = (int)r.Units }));
        var list = defects.ToList();
        inspection.Defects.Add(list.Where(d => d.Stage == DefectStages.Inspection).Select(d => ToProto(d, labels)));
        if (i.SignedOffAt is { } signedOffAt)
        {
            var signOff = new SignOff
            {
                HealthExpertId = i.SignOffExpertId ?? "",
                AcceptedUnits = (int)(i.SignOffAccepted ?? 0),
                RejectedUnits = (int)(i.SignOffRejected ?? 0),
                Note = i.SignOffNote ?? "",
                SignedOffAt = Instants.ToTimestamp(signedOffAt),
            };
            signOff.Defects.Add(list.Where(d => d.Stage == DefectStages.SignOff).Select(d => ToProto(d, labels)));
            inspection.SignOff = signOff;
        }
        return inspection;
    }

    public static DefectCount ToProto(DefectRow d, IReadOnlyDictionary<string, string> labels) => new()
    {
        DefectCode = d.DefectCode,
        Units = (int)d.Units,
        Label = labels.TryGetValue(d.DefectCode, out var label) ? label : "",
    };

    public static ReworkOrder ToProto(ReworkOrderRow o) => new()
    {
        ReworkOrderId = o.ReworkOrderId,
        InspectionId = o.InspectionId,
        ProgrammeId = o.ProgrammeId,
        TraineeId = o.TraineeId,
        Units = (int)o.Units,
        ReworkedUnits = (int)o.ReworkedUnits,
        Note = o.Note,
        Open = o.ReworkedUnits < o.Units,
        CreatedAt = Instants.ToTimestamp(o.CreatedAt),
    };

    public static TraineeDailySeries ToProto(OutputSeries series)
    {
        var message = new TraineeDailySeries { ProgrammeId = series.ProgrammeId, TraineeId = series.TraineeId };
        message.Days.Add(series.Days.Select(ToProto));
        return message;
    }

    public static ProgrammeTotals ToProto(OutputTotals totals)
    {
        var t = totals.Figures;
        var message = new ProgrammeTotals
        {
            ProgrammeId = totals.ProgrammeId,
            ProductCode = totals.ProductCode,
            ReportedUnits = (int)t.Reported,
            InspectedUnits = (int)t.Inspected,
            AcceptedUnits = (int)t.Accepted,
            RejectedUnits = (int)t.RejectedNotReworked,
            AwaitingInspectionUnits = (int)t.AwaitingInspection,
            AwaitingSignOffUnits = (int)t.AwaitingSignOff,
            PendingReports = (int)t.Pending,
            RefusedUnits = (int)t.Refused,
        };
        message.Days.Add(totals.Days.Select(ToProto));
        return message;
    }

    public static DailyOutput ToProto(OutputDay day) => day.Figures is not { } f
        ? new DailyOutput { Day = CalendarDays.ToDate(day.Day) }
        : new DailyOutput
        {
            Day = CalendarDays.ToDate(day.Day),
            ReportedUnits = (int)f.Reported,
            AwaitingInspectionUnits = (int)f.AwaitingInspection,
            AcceptedUnits = (int)f.Accepted,
            RejectedUnits = (int)f.Rejected,
            AwaitingSignOffUnits = (int)f.AwaitingSignOff,
        };

    public static DefectCounts ToProto(DefectTallies tallies)
    {
        var message = new DefectCounts { ProgrammeId = tallies.ProgrammeId, TraineeId = tallies.TraineeId };
        message.Defects.Add(tallies.Defects.Select(d => new DefectCount { DefectCode = d.Code, Units = (int)d.Units, Label = d.Label }));
        return message;
    }

    public static DefectChecklist ToProto(StoredChecklist c)
    {
        var checklist = new DefectChecklist { ProductCode = c.ProductCode };
        checklist.Codes.Add(c.Codes.Select(r => new DefectCode { Code = r.Code, Label = r.Label, LabelEn = r.LabelEn, MedicalStandard = r.MedicalStandard != 0 }));
        if (c.UpdatedAt is { } at)
        {
            checklist.UpdatedAt = Instants.ToTimestamp(at);
        }
        return checklist;
    }
}

/// <summary>When a defect was found.</summary>
internal static class DefectStages
{
    public const string Inspection = "inspection";
    public const string SignOff = "sign_off";
}

namespace Bimtek.Production.Data;

/// <summary>Outbox destinations of production (see <c>Hosting/ProductionOutboxDestinations.cs</c>).</summary>
internal static class OutboxNames
{
    public const string CoordinatorOutput = "coordinator.output-recorded";
    public const string CoordinatorInspection = "coordinator.inspection-result";
    public const string DistributionAccepted = "distribution.accepted-goods";
}

/// <summary>An inspections row.</summary>
internal sealed class InspectionRow
{
    public const string Columns =
        "inspection_id AS InspectionId, programme_id AS ProgrammeId, trainee_id AS TraineeId, product_code AS ProductCode, medical AS Medical, " +
        "time_zone AS TimeZone, inspected_units AS InspectedUnits, passed_units AS PassedUnits, rejected_units AS RejectedUnits, " +
        "inspector_id AS InspectorId, inspector_role AS InspectorRole, status AS Status, accepted_units AS AcceptedUnits, " +
        "awaiting_sign_off_units AS AwaitingSignOffUnits, sent_back_units AS SentBackUnits, note AS Note, inspected_at AS InspectedAt, " +
        "sign_off_expert_id AS SignOffExpertId, sign_off_accepted AS SignOffAccepted, sign_off_rejected AS SignOffRejected, " +
        "sign_off_note AS SignOffNote, signed_off_at AS SignedOffAt";

    public string InspectionId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public long Medical { get; set; }
    public string TimeZone { get; set; } = "";
    public long InspectedUnits { get; set; }
    public long PassedUnits { get; set; }
    public long RejectedUnits { get; set; }
    public string InspectorId { get; set; } = "";
    public long InspectorRole { get; set; }
    public long Status { get; set; }
    public long AcceptedUnits { get; set; }
    public long AwaitingSignOffUnits { get; set; }
    public long SentBackUnits { get; set; }
    public string Note { get; set; } = "";
    public long InspectedAt { get; set; }
    public string? SignOffExpertId { get; set; }
    public long? SignOffAccepted { get; set; }
    public long? SignOffRejected { get; set; }
    public string? SignOffNote { get; set; }
    public long? SignedOffAt { get; set; }

    /// <summary>Every unit rejected, at inspection or at sign-off.</summary>
    public long TotalRejected => RejectedUnits + (SignOffRejected ?? 0);
}

/// <summary>An inspection_reports row: the part one report played in an inspection.</summary>
internal sealed class InspectionReportRow
{
    public string InspectionId { get; set; } = "";
    public string ReportId { get; set; } = "";
    public long Units { get; set; }
    public long PassedUnits { get; set; }
    public long RejectedUnits { get; set; }
    public long AcceptedUnits { get; set; }
    public long AwaitingUnits { get; set; }
    public long Position { get; set; }
}

/// <summary>An inspection_defects row.</summary>
internal sealed class DefectRow
{
    public string InspectionId { get; set; } = "";
    public string Stage { get; set; } = "";
    public string DefectCode { get; set; } = "";
    public long Units { get; set; }
}

/// <summary>A rework_orders row (Medical only when joined with its inspection).</summary>
internal sealed class ReworkOrderRow
{
    public const string Columns =
        "rework_order_id AS ReworkOrderId, inspection_id AS InspectionId, programme_id AS ProgrammeId, trainee_id AS TraineeId, " +
        "units AS Units, reworked_units AS ReworkedUnits, note AS Note, created_at AS CreatedAt";

    public string ReworkOrderId { get; set; } = "";
    public string InspectionId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public long Units { get; set; }
    public long ReworkedUnits { get; set; }
    public string Note { get; set; } = "";
    public long CreatedAt { get; set; }
    public long Medical { get; set; }
}

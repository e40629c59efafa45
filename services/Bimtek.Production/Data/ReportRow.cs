namespace Bimtek.Production.Data;

/// <summary>An output_reports row (settable properties: Dapper converts integer widths of both engines).</summary>
internal sealed class ReportRow
{
    public const string Columns =
        "report_id AS ReportId, request_id AS RequestId, request_hash AS RequestHash, programme_id AS ProgrammeId, " +
        "trainee_id AS TraineeId, product_code AS ProductCode, product_id AS ProductId, medical AS Medical, time_zone AS TimeZone, " +
        "day AS Day, units AS Units, note AS Note, photo_url AS PhotoUrl, rework_order_id AS ReworkOrderId, status AS Status, " +
        "rejection_reason AS RejectionReason, rejection_details AS RejectionDetails, inspected_units AS InspectedUnits, " +
        "reported_by AS ReportedBy, reported_at AS ReportedAt, settled_at AS SettledAt, attempts AS Attempts";

    public string ReportId { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public string ProductId { get; set; } = "";
    public long Medical { get; set; }
    public string TimeZone { get; set; } = "";
    public string Day { get; set; } = "";
    public long Units { get; set; }
    public string Note { get; set; } = "";
    public string PhotoUrl { get; set; } = "";
    public string ReworkOrderId { get; set; } = "";
    public string Status { get; set; } = "";
    public string RejectionReason { get; set; } = "";
    public string RejectionDetails { get; set; } = "";
    public long InspectedUnits { get; set; }
    public string ReportedBy { get; set; } = "";
    public long ReportedAt { get; set; }
    public long? SettledAt { get; set; }
    public long Attempts { get; set; }

    public bool IsMedical => Medical != 0;

    public bool IsRework => !string.IsNullOrEmpty(ReworkOrderId);

    public int Remaining => (int)(Units - InspectedUnits);
}

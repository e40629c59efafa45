using Bimtek.Data.Persistence;
using Bimtek.Distribution.Domain;

namespace Bimtek.Distribution.Data;

/// <summary>The figures behind the programme flow and recipient reports, all from this service's own tables.</summary>
internal static class ReportQueries
{
    public static async Task<List<FinishedGoodsRow>> ProgrammeGoodsAsync(DbSession db, string programmeId) =>
        [.. await db.QueryAsync<FinishedGoodsRow>(
            "SELECT programme_id AS ProgrammeId, product_code AS ProductCode, received_units AS ReceivedUnits, " +
            "handed_over_units AS HandedOverUnits, updated_at AS UpdatedAt FROM finished_goods WHERE programme_id = @programmeId",
            new { programmeId })];

    public static async Task<List<ProductSumRow>> ConfirmedAsync(DbSession db, string programmeId) =>
        [.. await db.QueryAsync<ProductSumRow>(
            "SELECT product_code AS ProductCode, CAST(SUM(units) AS BIGINT) AS Units, CAST(0 AS BIGINT) AS Households FROM handovers " +
            "WHERE programme_id = @programmeId AND status = @Confirmed GROUP BY product_code",
            new { programmeId, Confirmed = (long)HandoverState.Confirmed })];

    public static async Task<List<ProductSumRow>> DeliveredOnwardAsync(DbSession db, string programmeId) =>
        [.. await db.QueryAsync<ProductSumRow>(
            "SELECT product_code AS ProductCode, CAST(SUM(units) AS BIGINT) AS Units, CAST(SUM(households) AS BIGINT) AS Households " +
            "FROM onward_deliveries WHERE programme_id = @programmeId GROUP BY product_code",
            new { programmeId })];

    /// <summary>The recipient report's order: by recipient name, then programme and product.</summary>
    public static Keyset<RecipientReportRowData> RecipientReport { get; } = new Keyset<RecipientReportRowData>("distribution.recipient-report")
        .Ascending("r.name", r => r.RecipientName).Ascending("h.recipient_id", r => r.RecipientId)
        .Ascending("h.programme_id", r => r.ProgrammeId).Ascending("h.product_code", r => r.ProductCode);

    /// <summary>Per (recipient, programme, product), by recipient name; <paramref name="subject"/> limits rows to the subject's agencies.</summary>
    public static async Task<List<RecipientReportRowData>> RecipientRowsAsync(
        DbSession db, string recipientId, string programmeId, string? subject, KeysetPage page) =>
        [.. await db.QueryAsync<RecipientReportRowData>(
            "SELECT h.recipient_id AS RecipientId, r.name AS RecipientName, r.kind AS RecipientKind, h.programme_id AS ProgrammeId, " +
            "h.product_code AS ProductCode, h.received_units AS ReceivedUnits, h.delivered_units AS DeliveredUnits, " +
            "h.households AS Households, h.handover_count AS HandoverCount " +
            "FROM recipient_holdings h JOIN recipients r ON r.recipient_id = h.recipient_id " +
            "WHERE (@recipientId = '' OR h.recipient_id = @recipientId) AND (@programmeId = '' OR h.programme_id = @programmeId) " +
            (subject is null ? "" : "AND h.recipient_id IN (SELECT u.recipient_id FROM recipient_users u WHERE u.subject = @subject) ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { recipientId, programmeId, subject }))];
}

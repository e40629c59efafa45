using Bimtek.Data.Persistence;
using Bimtek.Distribution.Domain;

namespace Bimtek.Distribution.Data;

/// <summary>Handovers and their document number counter. What each recipient holds: <see cref="HoldingStore"/>.</summary>
internal static class HandoverStore
{
    private const long Confirmed = (long)HandoverState.Confirmed;
    private const long Cancelled = (long)HandoverState.Cancelled;

    private const string Columns =
        "handover_id AS HandoverId, document_number AS DocumentNumber, programme_id AS ProgrammeId, " +
        "programme_title AS ProgrammeTitle, programme_code AS ProgrammeCode, product_code AS ProductCode, product_name AS ProductName, units AS Units, " +
        "delivered_units AS DeliveredUnits, recipient_id AS RecipientId, recipient_name AS RecipientName, day AS Day, " +
        "place AS Place, giver_name AS GiverName, giver_position AS GiverPosition, receiver_name AS ReceiverName, " +
        "receiver_position AS ReceiverPosition, note AS Note, status AS Status, cancellation_reason AS CancellationReason, " +
        "created_at AS CreatedAt, confirmed_at AS ConfirmedAt, cancelled_at AS CancelledAt";

    /// <summary>
    /// The next document number of the office and year. The counter row is created by the first
    /// handover of the year and incremented under its row lock by every later one; the increment
    /// commits or rolls back with the handover, so numbers are neither skipped nor reused.
    /// </summary>
    public static async Task<long> NextDocumentNumberAsync(DbSession db, string officeCode, int year) =>
        await db.ExecuteScalarAsync<long>(
            "INSERT INTO document_counters (office_code, year, last_number) VALUES (@officeCode, @year, 1) " +
            "ON CONFLICT (office_code, year) DO UPDATE SET last_number = document_counters.last_number + 1 " +
            "RETURNING last_number",
            new { officeCode, year });

    public static Task InsertAsync(DbSession db, HandoverRow row, string officeCode, int year, long sequence, string createdBy) =>
        db.ExecuteAsync(
            "INSERT INTO handovers (handover_id, document_number, office_code, document_year, document_sequence, programme_id, " +
            "programme_title, programme_code, product_code, product_name, units, delivered_units, recipient_id, recipient_name, day, place, " +
            "giver_name, giver_position, receiver_name, receiver_position, note, status, cancellation_reason, created_by, created_at) " +
            "VALUES (@HandoverId, @DocumentNumber, @officeCode, @year, @sequence, @ProgrammeId, @ProgrammeTitle, @ProgrammeCode, @ProductCode, " +
            "@ProductName, @Units, 0, @RecipientId, @RecipientName, @Day, @Place, @GiverName, @GiverPosition, @ReceiverName, " +
            "@ReceiverPosition, @Note, @Status, '', @createdBy, @CreatedAt)",
            new
            {
                row.HandoverId,
                row.DocumentNumber,
                officeCode,
                year,
                sequence,
                row.ProgrammeId,
                row.ProgrammeTitle,
                row.ProgrammeCode,
                row.ProductCode,
                row.ProductName,
                row.Units,
                row.RecipientId,
                row.RecipientName,
                row.Day,
                row.Place,
                row.GiverName,
                row.GiverPosition,
                row.ReceiverName,
                row.ReceiverPosition,
                row.Note,
                row.Status,
                createdBy,
                row.CreatedAt,
            });

    /// <summary>One handover; inside a transaction its row is locked until commit.</summary>
    public static Task<HandoverRow?> GetAsync(DbSession db, string handoverId) =>
        db.QuerySingleOrDefaultAsync<HandoverRow>($"SELECT {Columns} FROM handovers WHERE handover_id = @handoverId{db.ForUpdate}", new { handoverId });

    public static Keyset<HandoverRow> Listing { get; } = new Keyset<HandoverRow>("distribution.handovers")
        .Descending("created_at", h => h.CreatedAt).Descending("handover_id", h => h.HandoverId);

    /// <summary>Handovers newest first; <paramref name="subject"/> limits them to recipients the subject acts for.</summary>
    public static async Task<List<HandoverRow>> ListAsync(DbSession db, string programmeId, string recipientId, long status, string? subject, KeysetPage page) =>
        [.. await db.QueryAsync<HandoverRow>(
            $"SELECT {Columns} FROM handovers " +
            "WHERE (@programmeId = '' OR programme_id = @programmeId) AND (@recipientId = '' OR recipient_id = @recipientId) " +
            "AND (@status = 0 OR status = @status) " +
            (subject is null ? "" : "AND recipient_id IN (SELECT u.recipient_id FROM recipient_users u WHERE u.subject = @subject) ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, recipientId, status, subject }))];

    public static Task ConfirmAsync(DbSession db, string handoverId, long confirmedAt) =>
        db.ExecuteAsync("UPDATE handovers SET status = @Confirmed, confirmed_at = @confirmedAt WHERE handover_id = @handoverId",
            new { Confirmed, confirmedAt, handoverId });

    public static Task CancelAsync(DbSession db, string handoverId, string reason, long cancelledAt) =>
        db.ExecuteAsync(
            "UPDATE handovers SET status = @Cancelled, cancellation_reason = @reason, cancelled_at = @cancelledAt WHERE handover_id = @handoverId",
            new { Cancelled, reason, cancelledAt, handoverId });

    /// <summary>Counts units passed on from one handover if it still has them; false (nothing changed) otherwise.</summary>
    public static async Task<bool> TryPassOnAsync(DbSession db, string handoverId, int units) =>
        await db.ExecuteAsync(
            "UPDATE handovers SET delivered_units = delivered_units + @units WHERE handover_id = @handoverId AND units - delivered_units >= @units",
            new { handoverId, units }) == 1;

    /// <summary>The earliest day of the recipient's handovers (not cancelled) of a programme's product.</summary>
    public static Task<string?> FirstDayAsync(DbSession db, string recipientId, string programmeId, string productCode) =>
        db.ExecuteScalarAsync<string?>(
            "SELECT MIN(day) FROM handovers WHERE recipient_id = @recipientId AND programme_id = @programmeId " +
            "AND product_code = @productCode AND status <> @Cancelled",
            new { recipientId, programmeId, productCode, Cancelled });
}

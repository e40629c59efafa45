using Bimtek.Data.Persistence;

namespace Bimtek.Distribution.Data;

/// <summary>Onward deliveries: what recipients passed on.</summary>
internal static class OnwardDeliveryStore
{
    private const string Columns =
        "onward_delivery_id AS OnwardDeliveryId, recipient_id AS RecipientId, handover_id AS HandoverId, programme_id AS ProgrammeId, " +
        "product_code AS ProductCode, place AS Place, day AS Day, units AS Units, households AS Households, note AS Note, " +
        "recorded_by AS RecordedBy, created_at AS CreatedAt";

    public static Task InsertAsync(DbSession db, OnwardDeliveryRow row) =>
        db.ExecuteAsync(
            "INSERT INTO onward_deliveries (onward_delivery_id, recipient_id, handover_id, programme_id, product_code, place, day, units, " +
            "households, note, recorded_by, created_at) VALUES (@OnwardDeliveryId, @RecipientId, @HandoverId, @ProgrammeId, @ProductCode, " +
            "@Place, @Day, @Units, @Households, @Note, @RecordedBy, @CreatedAt)", row);

    public static Keyset<OnwardDeliveryRow> Listing { get; } = new Keyset<OnwardDeliveryRow>("distribution.onward-deliveries")
        .Descending("day", d => d.Day).Descending("created_at", d => d.CreatedAt).Ascending("onward_delivery_id", d => d.OnwardDeliveryId);

    /// <summary>Newest day first; <paramref name="subject"/> limits them to recipients the subject acts for.</summary>
    public static async Task<List<OnwardDeliveryRow>> ListAsync(
        DbSession db, string recipientId, string handoverId, string programmeId, string? subject, KeysetPage page) =>
        [.. await db.QueryAsync<OnwardDeliveryRow>(
            $"SELECT {Columns} FROM onward_deliveries " +
            "WHERE (@recipientId = '' OR recipient_id = @recipientId) AND (@handoverId = '' OR handover_id = @handoverId) " +
            "AND (@programmeId = '' OR programme_id = @programmeId) " +
            (subject is null ? "" : "AND recipient_id IN (SELECT u.recipient_id FROM recipient_users u WHERE u.subject = @subject) ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { recipientId, handoverId, programmeId, subject }))];
}

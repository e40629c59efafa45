using Bimtek.Data.Persistence;

namespace Bimtek.Distribution.Data;

/// <summary>
/// Finished goods per (programme, product). Accepted units are added by an upsert; handovers take
/// units with a guarded UPDATE whose WHERE clause re-checks availability on the locked row, so two
/// concurrent handovers that together exceed it cannot both pass.
/// </summary>
internal static class GoodsStore
{
    public static async Task ReceiveAsync(DbSession db, string receiptId, string inspectionId, string programmeId, string traineeId,
        string productCode, int units, long acceptedAt, long now)
    {
        await db.ExecuteAsync(
            "INSERT INTO goods_receipts (receipt_id, inspection_id, programme_id, trainee_id, product_code, units, accepted_at, received_at) " +
            "VALUES (@receiptId, @inspectionId, @programmeId, @traineeId, @productCode, @units, @acceptedAt, @now)",
            new { receiptId, inspectionId, programmeId, traineeId, productCode, units, acceptedAt, now });
        await db.ExecuteAsync(
            "INSERT INTO finished_goods (programme_id, product_code, received_units, handed_over_units, updated_at) " +
            "VALUES (@programmeId, @productCode, @units, 0, @now) " +
            "ON CONFLICT (programme_id, product_code) DO UPDATE SET " +
            "received_units = finished_goods.received_units + excluded.received_units, updated_at = excluded.updated_at",
            new { programmeId, productCode, units, now });
    }

    /// <summary>Takes <paramref name="units"/> if that many are available; false (nothing changed) otherwise.</summary>
    public static async Task<bool> TryTakeAsync(DbSession db, string programmeId, string productCode, int units, long now) =>
        await db.ExecuteAsync(
            "UPDATE finished_goods SET handed_over_units = handed_over_units + @units, updated_at = @now " +
            "WHERE programme_id = @programmeId AND product_code = @productCode AND received_units - handed_over_units >= @units",
            new { programmeId, productCode, units, now }) == 1;

    /// <summary>Gives back the units of a cancelled handover.</summary>
    public static Task ReturnAsync(DbSession db, string programmeId, string productCode, long units, long now) =>
        db.ExecuteAsync(
            "UPDATE finished_goods SET handed_over_units = handed_over_units - @units, updated_at = @now " +
            "WHERE programme_id = @programmeId AND product_code = @productCode",
            new { programmeId, productCode, units, now });

    public static async Task<long> AvailableAsync(DbSession db, string programmeId, string productCode) =>
        await db.ExecuteScalarAsync<long?>(
            "SELECT received_units - handed_over_units FROM finished_goods WHERE programme_id = @programmeId AND product_code = @productCode",
            new { programmeId, productCode }) ?? 0;

    /// <summary>The finished goods list's order: by programme, then product.</summary>
    public static Keyset<FinishedGoodsRow> Listing { get; } = new Keyset<FinishedGoodsRow>("distribution.finished-goods")
        .Ascending("programme_id", g => g.ProgrammeId).Ascending("product_code", g => g.ProductCode);

    public static async Task<List<FinishedGoodsRow>> ListAsync(DbSession db, string programmeId, string productCode, bool availableOnly, KeysetPage page) =>
        [.. await db.QueryAsync<FinishedGoodsRow>(
            "SELECT programme_id AS ProgrammeId, product_code AS ProductCode, received_units AS ReceivedUnits, " +
            "handed_over_units AS HandedOverUnits, updated_at AS UpdatedAt FROM finished_goods " +
            "WHERE (@programmeId = '' OR programme_id = @programmeId) AND (@productCode = '' OR product_code = @productCode) " +
            (availableOnly ? "AND received_units > handed_over_units " : "") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, productCode }))];
}

using Bimtek.Data.Persistence;

namespace Bimtek.Distribution.Data;

/// <summary>
/// What each recipient holds per programme and product (<c>recipient_holdings</c>): received by handovers, passed on by
/// onward deliveries. Units leave a holding only by a guarded UPDATE whose WHERE clause re-checks what is left on the
/// locked row, so concurrent onward deliveries (or a cancellation) together never take more than was received.
/// </summary>
internal static class HoldingStore
{
    public static Task AddAsync(DbSession db, string recipientId, string programmeId, string productCode, int units) =>
        db.ExecuteAsync(
            "INSERT INTO recipient_holdings (recipient_id, programme_id, product_code, received_units, delivered_units, households, handover_count) " +
            "VALUES (@recipientId, @programmeId, @productCode, @units, 0, 0, 1) " +
            "ON CONFLICT (recipient_id, programme_id, product_code) DO UPDATE SET " +
            "received_units = recipient_holdings.received_units + excluded.received_units, handover_count = recipient_holdings.handover_count + 1",
            new { recipientId, programmeId, productCode, units });

    /// <summary>Takes a cancelled handover's units back from the recipient unless they were passed on already.</summary>
    public static async Task<bool> TryTakeBackAsync(DbSession db, string recipientId, string programmeId, string productCode, long units) =>
        await db.ExecuteAsync(
            "UPDATE recipient_holdings SET received_units = received_units - @units, handover_count = handover_count - 1 " +
            "WHERE recipient_id = @recipientId AND programme_id = @programmeId AND product_code = @productCode " +
            "AND received_units - delivered_units >= @units",
            new { recipientId, programmeId, productCode, units }) == 1;

    /// <summary>Counts units passed on by the recipient if it holds them; false (nothing changed) otherwise.</summary>
    public static async Task<bool> TryPassOnAsync(DbSession db, string recipientId, string programmeId, string productCode, int units, int households) =>
        await db.ExecuteAsync(
            "UPDATE recipient_holdings SET delivered_units = delivered_units + @units, households = households + @households " +
            "WHERE recipient_id = @recipientId AND programme_id = @programmeId AND product_code = @productCode " +
            "AND received_units - delivered_units >= @units",
            new { recipientId, programmeId, productCode, units, households }) == 1;

    public static async Task<long> HeldAsync(DbSession db, string recipientId, string programmeId, string productCode) =>
        await db.ExecuteScalarAsync<long?>(
            "SELECT received_units - delivered_units FROM recipient_holdings " +
            "WHERE recipient_id = @recipientId AND programme_id = @programmeId AND product_code = @productCode",
            new { recipientId, programmeId, productCode }) ?? 0;
}

using Bimtek.Data.Persistence;

namespace Bimtek.Materials.Data;

/// <summary>Stored movements and the lots receipts create; the balance-changing writes are <see cref="StockPosting"/>'s.</summary>
internal static class MovementStore
{
    public static async Task<StoredMovement?> FindAsync(DbSession db, string movementId)
    {
        var row = await db.QuerySingleOrDefaultAsync<MovementRow>(
            $"SELECT {Queries.MovementColumns} FROM movements WHERE movement_id = @movementId", new { movementId });
        if (row is null)
        {
            return null;
        }
        var entries = await db.QueryAsync<LedgerEntryRow>(
            $"SELECT {Queries.EntryColumns} FROM ledger_entries WHERE movement_id = @movementId ORDER BY seq", new { movementId });
        return new StoredMovement(row, entries.ToList());
    }

    /// <summary>A new lot, before the receipt that brings it is posted.</summary>
    public static Task InsertLotAsync(
        DbSession session, string lotId, string lotCode, string materialId, string movementId, string supplierDocumentNumber, long quantity, long now) =>
        session.ExecuteAsync(
            "INSERT INTO lots (lot_id, lot_code, material_id, receipt_movement_id, supplier_document_number, received_quantity, received_at) " +
            "VALUES (@lotId, @lotCode, @materialId, @movementId, @document, @quantity, @now)",
            new { lotId, lotCode, materialId, movementId, document = supplierDocumentNumber, quantity, now });

    /// <summary>The material of a lot, or null for an unknown lot.</summary>
    public static Task<string?> LotMaterialAsync(DbSession db, string lotId) =>
        db.QuerySingleOrDefaultAsync<string>("SELECT material_id FROM lots WHERE lot_id = @lotId", new { lotId });
}

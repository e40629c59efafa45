using Bimtek.Data.Persistence;
using Bimtek.Materials.Domain;

namespace Bimtek.Materials.Data;

/// <summary>
/// The statements <see cref="StockPosting"/> batches for a movement's withdrawals and ledger entries, a fixed few
/// whatever the number of lines (issue 19: a consumption of four materials was thirteen statements, now four).
/// </summary>
internal static class PostingStatements
{
    /// <summary>Rows per statement: well within SQLite's expression depth (1,000) and both databases' parameter limits.</summary>
    private const int RowsPerStatement = 100;

    /// <summary>
    /// The withdrawals from one location as one UPDATE of its lot rows and one of its balance rows (per
    /// <see cref="RowsPerStatement"/> keys). Each names its rows' keys (so no other row changes) and takes each row's
    /// amount from a CASE on its key; a row changes only when it holds that amount, and each key is in the statement
    /// once (the amounts of one key were summed), so each statement is expected to change as many rows as it has keys.
    /// Plain SQL, the same on PostgreSQL and SQLite.
    /// </summary>
    public static void AddWithdrawals(SqlBatch batch, string locationId, Withdrawals withdrawals, long now)
    {
        foreach (var chunk in withdrawals.FromLots.Chunk(RowsPerStatement))
        {
            var parameters = new Dictionary<string, object?> { ["location"] = locationId };
            for (var i = 0; i < chunk.Length; i++)
            {
                (parameters[$"m{i}"], parameters[$"l{i}"], parameters[$"q{i}"]) = (chunk[i].Key.Material, chunk[i].Key.Lot, chunk[i].Value);
            }
            var keys = Enumerable.Range(0, chunk.Length).Select(i => $"(material_id = @m{i} AND lot_id = @l{i})");
            var amount = $"(CASE {string.Join(' ', Enumerable.Range(0, chunk.Length).Select(i => $"WHEN material_id = @m{i} AND lot_id = @l{i} THEN @q{i}"))} END)";
            batch.Add(
                $"UPDATE lot_balances SET quantity = quantity - {amount} WHERE location_id = @location " +
                $"AND ({string.Join(" OR ", keys)}) AND quantity >= {amount}",
                parameters, expectedRows: chunk.Length);
        }
        foreach (var chunk in withdrawals.FromBalances.Chunk(RowsPerStatement))
        {
            var parameters = new Dictionary<string, object?> { ["location"] = locationId, ["now"] = now };
            for (var i = 0; i < chunk.Length; i++)
            {
                (parameters[$"m{i}"], parameters[$"q{i}"]) = (chunk[i].Key, chunk[i].Value);
            }
            var keys = Enumerable.Range(0, chunk.Length).Select(i => $"@m{i}");
            var amount = $"(CASE {string.Join(' ', Enumerable.Range(0, chunk.Length).Select(i => $"WHEN material_id = @m{i} THEN @q{i}"))} END)";
            batch.Add(
                $"UPDATE balances SET quantity = quantity - {amount}, updated_at = @now WHERE location_id = @location " +
                $"AND material_id IN ({string.Join(", ", keys)}) AND quantity >= {amount}",
                parameters, expectedRows: chunk.Length);
        }
    }

    /// <summary>The ledger entries as multi-row INSERTs of up to <see cref="RowsPerStatement"/> rows.</summary>
    public static void AddLedgerEntries(SqlBatch batch, IReadOnlyList<LedgerEntryRow> entries)
    {
        foreach (var chunk in entries.Chunk(RowsPerStatement))
        {
            AddLedgerRows(batch, chunk);
        }
    }

    private static void AddLedgerRows(SqlBatch batch, IReadOnlyList<LedgerEntryRow> entries)
    {
        var parameters = new Dictionary<string, object?>();
        var rows = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            parameters[$"id{i}"] = e.EntryId;
            parameters[$"movement{i}"] = e.MovementId;
            parameters[$"seq{i}"] = e.Seq;
            parameters[$"kind{i}"] = e.Kind;
            parameters[$"location{i}"] = e.LocationId;
            parameters[$"material{i}"] = e.MaterialId;
            parameters[$"lot{i}"] = e.LotId;
            parameters[$"delta{i}"] = e.QuantityDelta;
            parameters[$"after{i}"] = e.BalanceAfter;
            parameters[$"programme{i}"] = e.ProgrammeId;
            parameters[$"trainee{i}"] = e.TraineeId;
            parameters[$"report{i}"] = e.ReportId;
            parameters[$"at{i}"] = e.RecordedAt;
            rows.Add($"(@id{i}, @movement{i}, @seq{i}, @kind{i}, @location{i}, @material{i}, @lot{i}, @delta{i}, @after{i}, " +
                $"@programme{i}, @trainee{i}, @report{i}, @at{i})");
        }
        batch.Add(
            "INSERT INTO ledger_entries (entry_id, movement_id, seq, kind, location_id, material_id, lot_id, quantity_delta, " +
            "balance_after, programme_id, trainee_id, report_id, recorded_at) VALUES " + string.Join(", ", rows),
            parameters, expectedRows: entries.Count);
    }
}

/// <summary>What a movement takes from its source: per (material, lot) and per material, summed over its lines.</summary>
internal sealed class Withdrawals
{
    public Dictionary<(string Material, string Lot), long> FromLots { get; } = [];

    public Dictionary<string, long> FromBalances { get; } = new(StringComparer.Ordinal);

    public void Add(string materialId, string lotId, long quantity)
    {
        FromLots[(materialId, lotId)] = StockMath.Add(FromLots.GetValueOrDefault((materialId, lotId)), quantity);
        FromBalances[materialId] = StockMath.Add(FromBalances.GetValueOrDefault(materialId), quantity);
    }
}

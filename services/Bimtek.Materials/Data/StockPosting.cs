using Bimtek.Data.Persistence;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;

namespace Bimtek.Materials.Data;

/// <summary>The header of one stock movement; empty strings where a field does not apply.</summary>
internal sealed record MovementHeader(
    MovementKind Kind,
    string FromLocationId,
    string ToLocationId,
    string RecordedBy,
    string SupplierDocumentNumber = "",
    string ProgrammeId = "",
    string TraineeId = "",
    string ReportId = "",
    string KitPlanId = "",
    string Reason = "");

/// <summary>
/// One line of a movement. With a source location the quantity is taken first-in first-out from
/// its lots (LotId is ignored); without one (receipt, increase) it enters as <see cref="LotId"/>.
/// With a destination, the same lot pieces arrive there.
/// </summary>
internal sealed record MovementLine(string MaterialId, long Quantity, string LotId = "");

/// <summary>
/// Writes stock movements inside one transaction. <see cref="LockAsync"/> first takes the row lock
/// of every (location, material) balance the transaction will touch, in one sorted order shared
/// by every writer (so multi-material kits cannot deadlock each other; a deadlock PostgreSQL still
/// detects, e.g. between two postings of one transaction, is retried by <c>Database</c>), creating
/// missing rows by upsert (so two first-ever withdrawals still meet on one row). After that, balances are read
/// and changed only under those locks, with guarded updates as a second line of defence and a
/// CHECK (quantity >= 0) as the third.
/// </summary>
internal sealed class StockPosting
{
    private readonly DbSession _session;
    private readonly long _now;
    private readonly Dictionary<(string Location, string Material), long> _balances = [];
    private (string Location, Dictionary<string, List<LotHolding>> Lots)? _prefetchedLots;

    private StockPosting(DbSession session, long now)
    {
        _session = session;
        _now = now;
    }

    public long Now => _now;

    /// <summary>
    /// Locks the balances of <paramref name="keys"/>; with <paramref name="lotsAt"/>, the same round trip also reads that
    /// location's lots of its materials (under the locks just taken) for the first movement posted from it.
    /// </summary>
    public static async Task<StockPosting> LockAsync(DbSession session, long now, IEnumerable<(string Location, string Material)> keys,
        string? lotsAt = null)
    {
        var posting = new StockPosting(session, now);
        var sorted = keys.Distinct()
            .OrderBy(k => k.Location, StringComparer.Ordinal)
            .ThenBy(k => k.Material, StringComparer.Ordinal)
            .ToList();
        if (sorted.Count == 0)
        {
            return posting;
        }
        // Existing rows: one locking read. On PostgreSQL, FOR UPDATE above an ORDER BY takes the row locks in that
        // (ordinal) order; the filter may also lock a row of another pair of the same locations and materials, which
        // only narrows concurrency. A read takes the lock without writing a new row version (the upsert below did,
        // for every line of every movement: issue 19).
        var locations = sorted.Select(k => k.Location).Distinct().ToArray();
        var materials = sorted.Select(k => k.Material).Distinct().ToArray();
        var order = session.Dialect.IsPostgres
            ? " ORDER BY location_id COLLATE \"C\", material_id COLLATE \"C\"" + session.ForUpdate
            : "";
        var lockSql = "SELECT location_id AS Location, material_id AS Material, quantity AS Quantity FROM balances " +
            "WHERE location_id " + session.Dialect.InList("locations") + " AND material_id " + session.Dialect.InList("materials") + order;
        IEnumerable<LockedBalance> existing;
        if (lotsAt is null)
        {
            existing = await session.QueryAsync<LockedBalance>(lockSql, new { locations, materials });
        }
        else
        {
            var ids = sorted.Where(k => k.Location == lotsAt).Select(k => k.Material).Distinct().ToArray();
            await using var reads = await session.QueryMultipleAsync(lockSql + ";\n" + HoldingsSql(session.Dialect),
                new { locations, materials, ids, locationId = lotsAt });
            existing = (await reads.ReadAsync<LockedBalance>()).ToList();
            posting._prefetchedLots = (lotsAt, Holdings(ids, await reads.ReadAsync<LotHoldingRow>()));
        }
        foreach (var row in existing)
        {
            posting._balances[(row.Location, row.Material)] = row.Quantity;
        }
        // Missing rows (a first receipt at a location): created by upsert in the same order, so two first-ever
        // postings still meet on one row; ON CONFLICT DO UPDATE locks a row a concurrent twin inserted first.
        var missing = sorted.Where(k => !posting._balances.ContainsKey(k)).ToList();
        if (missing.Count == 0)
        {
            return posting;
        }
        var batch = new SqlBatch();
        foreach (var key in missing)
        {
            batch.Add(
                "INSERT INTO balances (material_id, location_id, quantity, updated_at) VALUES (@material, @location, 0, @now) " +
                "ON CONFLICT (material_id, location_id) DO UPDATE SET quantity = balances.quantity RETURNING quantity",
                new { material = key.Material, location = key.Location, now });
        }
        var quantities = await batch.QueryEachSingleAsync<long>(session);
        for (var i = 0; i < missing.Count; i++)
        {
            posting._balances[missing[i]] = quantities[i];
        }
        return posting;
    }

    public long Available(string locationId, string materialId) => _balances[(locationId, materialId)];

    /// <summary>Refuses (nothing written) unless the location holds every needed quantity.</summary>
    public async Task EnsureAvailableAsync(string locationId, IEnumerable<(string MaterialId, long Quantity)> needs)
    {
        var shortages = new List<(string MaterialId, long Required, long Available)>();
        foreach (var need in needs.GroupBy(n => n.MaterialId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var required = need.Aggregate(0L, (sum, n) => StockMath.Add(sum, n.Quantity));
            var available = Available(locationId, need.Key);
            if (available < required)
            {
                shortages.Add((need.Key, required, available));
            }
        }
        if (shortages.Count == 0)
        {
            return;
        }
        var codes = await MaterialCodesAsync(_session, shortages.Select(s => s.MaterialId));
        throw ShortageError.Create(locationId, shortages
            .Select(s => new ShortageLine(s.MaterialId, codes.GetValueOrDefault(s.MaterialId, s.MaterialId), s.Required, s.Available))
            .OrderBy(s => s.MaterialCode, StringComparer.Ordinal)
            .ToList());
    }

    /// <summary>
    /// Writes the movement, its ledger entries and the balance changes; returns the movement with its entries. Two round
    /// trips whatever the number of lines: one read of the source's lots (FIFO order), then one batch of
    /// every write. The withdrawals from the source are two guarded statements whatever the number of lines (one for its
    /// lots, one for its balances; <see cref="PostingStatements"/>) and the ledger entries one insert (issue 19: a
    /// consumption was thirteen statements, now four). Each write changes the rows it names — the withdrawals only
    /// where the row holds the amount (<c>quantity &gt;= n</c>) — so a batch that changed fewer rows than expected found
    /// too little stock under lock, and the transaction is abandoned.
    /// </summary>
    public async Task<StoredMovement> PostAsync(MovementHeader header, IReadOnlyList<MovementLine> lines, string? movementId = null)
    {
        var movement = new MovementRow
        {
            MovementId = movementId ?? Guid.NewGuid().ToString(),
            Kind = (int)header.Kind,
            FromLocationId = header.FromLocationId,
            ToLocationId = header.ToLocationId,
            SupplierDocumentNumber = header.SupplierDocumentNumber,
            ProgrammeId = header.ProgrammeId,
            TraineeId = header.TraineeId,
            ReportId = header.ReportId,
            KitPlanId = header.KitPlanId,
            Reason = header.Reason,
            RecordedBy = header.RecordedBy,
            RecordedAt = _now,
        };
        var batch = new SqlBatch();
        batch.Add(
            "INSERT INTO movements (movement_id, kind, from_location_id, to_location_id, supplier_document_number, programme_id, " +
            "trainee_id, report_id, kit_plan_id, reason, recorded_by, recorded_at) VALUES (@MovementId, @Kind, @FromLocationId, " +
            "@ToLocationId, @SupplierDocumentNumber, @ProgrammeId, @TraineeId, @ReportId, @KitPlanId, @Reason, @RecordedBy, @RecordedAt)",
            movement);

        var holdings = header.FromLocationId.Length > 0
            ? PrefetchedLots(header.FromLocationId, lines) ?? await HoldingsAsync(header.FromLocationId, lines.Select(l => l.MaterialId))
            : [];
        var entries = new List<LedgerEntryRow>();
        var withdrawals = new Withdrawals();
        foreach (var line in lines)
        {
            IReadOnlyList<LotPiece> pieces;
            if (header.FromLocationId.Length > 0)
            {
                var taken = Take(withdrawals, holdings, header.FromLocationId, line.MaterialId, line.Quantity);
                foreach (var (piece, balanceAfter) in taken)
                {
                    entries.Add(Entry(movement, header.FromLocationId, line.MaterialId, piece.LotId, -piece.Quantity, balanceAfter));
                }
                pieces = taken.Select(t => t.Piece).ToList();
            }
            else
            {
                pieces = [new LotPiece(line.LotId, line.Quantity)];
            }
            if (header.ToLocationId.Length > 0)
            {
                foreach (var piece in pieces)
                {
                    var balanceAfter = Put(batch, header.ToLocationId, line.MaterialId, piece);
                    entries.Add(Entry(movement, header.ToLocationId, line.MaterialId, piece.LotId, piece.Quantity, balanceAfter));
                }
            }
        }

        PostingStatements.AddWithdrawals(batch, header.FromLocationId, withdrawals, _now);
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Seq = i + 1;
        }
        PostingStatements.AddLedgerEntries(batch, entries);
        var changed = await batch.ExecuteAsync(_session);
        if (changed != batch.ExpectedRows)
        {
            throw new InvalidOperationException(
                $"A guarded withdrawal found too little stock under lock (movement {movement.MovementId}: {changed} of {batch.ExpectedRows} rows changed).");
        }
        return new StoredMovement(movement, entries);
    }

    private static LedgerEntryRow Entry(MovementRow movement, string locationId, string materialId, string lotId, long delta, long balanceAfter) => new()
    {
        EntryId = Guid.NewGuid().ToString(),
        MovementId = movement.MovementId,
        Kind = movement.Kind,
        LocationId = locationId,
        MaterialId = materialId,
        LotId = lotId,
        QuantityDelta = delta,
        BalanceAfter = balanceAfter,
        ProgrammeId = movement.ProgrammeId,
        TraineeId = movement.TraineeId,
        ReportId = movement.ReportId,
        RecordedAt = movement.RecordedAt,
    };

    /// <summary>The lots of every named material at a location (read under the balance locks), FIFO order per material.</summary>
    private async Task<Dictionary<string, List<LotHolding>>> HoldingsAsync(string locationId, IEnumerable<string> materialIds)
    {
        var ids = materialIds.Distinct().ToArray();
        return Holdings(ids, await _session.QueryAsync<LotHoldingRow>(HoldingsSql(_session.Dialect), new { ids, locationId }));
    }

    /// <summary>The lots read with the locks, for the first movement from their location whose materials they cover.</summary>
    private Dictionary<string, List<LotHolding>>? PrefetchedLots(string locationId, IEnumerable<MovementLine> lines)
    {
        if (_prefetchedLots is not { } prefetched || prefetched.Location != locationId)
        {
            return null;
        }
        // Once only: what a movement takes changes them, and a later movement reads the rows again.
        _prefetchedLots = null;
        return lines.All(l => prefetched.Lots.ContainsKey(l.MaterialId)) ? prefetched.Lots : null;
    }

    // Dapper passes a list to Npgsql as one array parameter (= ANY), and expands it for SQLite (IN (…)).
    private static string HoldingsSql(SqlDialect dialect) =>
        "SELECT lb.material_id AS MaterialId, lb.lot_id AS LotId, lb.quantity AS Quantity FROM lot_balances lb LEFT JOIN lots l ON l.lot_id = lb.lot_id " +
        "WHERE lb.material_id " + dialect.InList("ids") + " AND lb.location_id = @locationId AND lb.quantity > 0 " +
        "ORDER BY lb.material_id, CASE WHEN lb.lot_id = '' THEN 1 ELSE 0 END, l.received_at, lb.lot_id";

    private static Dictionary<string, List<LotHolding>> Holdings(string[] materialIds, IEnumerable<LotHoldingRow> rows)
    {
        var holdings = materialIds.ToDictionary(id => id, _ => new List<LotHolding>(), StringComparer.Ordinal);
        foreach (var row in rows)
        {
            holdings[row.MaterialId].Add(new LotHolding(row.LotId, row.Quantity));
        }
        return holdings;
    }

    /// <summary>Takes lots FIFO (adds them to the withdrawals); returns each piece with the location's balance right after it.</summary>
    private List<(LotPiece Piece, long BalanceAfter)> Take(Withdrawals withdrawals, Dictionary<string, List<LotHolding>> holdings, string locationId, string materialId, long quantity)
    {
        var key = (locationId, materialId);
        var lots = holdings[materialId];
        var pieces = Fifo.Allocate(lots, quantity)
            ?? throw new InvalidOperationException($"Lots of {materialId} at {locationId} disagree with its balance.");
        var taken = new List<(LotPiece, long)>();
        foreach (var piece in pieces)
        {
            withdrawals.Add(materialId, piece.LotId, piece.Quantity);
            _balances[key] -= piece.Quantity;
            taken.Add((piece, _balances[key]));
            // The same material on a later line of this movement takes from what is left.
            var at = lots.FindIndex(l => l.LotId == piece.LotId);
            lots[at] = lots[at] with { Quantity = lots[at].Quantity - piece.Quantity };
        }
        lots.RemoveAll(l => l.Quantity <= 0);
        return taken;
    }

    private long Put(SqlBatch batch, string locationId, string materialId, LotPiece piece)
    {
        var key = (locationId, materialId);
        if (!_balances.ContainsKey(key))
        {
            throw new InvalidOperationException($"Balance of {materialId} at {locationId} was not locked before posting.");
        }
        batch.Add(
            "INSERT INTO lot_balances (material_id, location_id, lot_id, quantity) VALUES (@materialId, @locationId, @lotId, @quantity) " +
            "ON CONFLICT (material_id, location_id, lot_id) DO UPDATE SET quantity = lot_balances.quantity + excluded.quantity",
            new { materialId, locationId, lotId = piece.LotId, quantity = piece.Quantity });
        var after = StockMath.Add(_balances[key], piece.Quantity);
        batch.Add(
            "UPDATE balances SET quantity = @after, updated_at = @now WHERE material_id = @materialId AND location_id = @locationId",
            new { after, now = _now, materialId, locationId });
        _balances[key] = after;
        return after;
    }

    public static async Task<Dictionary<string, string>> MaterialCodesAsync(DbSession session, IEnumerable<string> materialIds)
    {
        var rows = await session.QueryAsync<(string MaterialId, string Code)>(
            "SELECT material_id, code FROM materials WHERE material_id " + session.Dialect.InList("ids"), new { ids = materialIds.Distinct().ToArray() });
        return rows.ToDictionary(r => r.MaterialId, r => r.Code, StringComparer.Ordinal);
    }
}

/// <summary>A balance row read under its lock.</summary>
internal sealed record LockedBalance(string Location, string Material, long Quantity);

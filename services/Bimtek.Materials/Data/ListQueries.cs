using Bimtek.Data.Persistence;

namespace Bimtek.Materials.Data;

/// <summary>
/// The service's paged lists: each one's order (a <see cref="Keyset{TRow}"/>, whose page tokens
/// are bound to the list) and its query. An empty filter value matches every row.
/// </summary>
internal static class ListQueries
{
    public static Keyset<MaterialRow> Materials { get; } = new Keyset<MaterialRow>("materials.materials")
        .Ascending("code", m => m.Code);

    public static Keyset<ProductRow> Products { get; } = new Keyset<ProductRow>("materials.products")
        .Ascending("code", p => p.Code);

    public static Keyset<LocationRow> Locations { get; } = new Keyset<LocationRow>("materials.locations")
        .Ascending("kind", l => l.Kind).Ascending("name", l => l.Name).Ascending("location_id", l => l.LocationId);

    public static Keyset<BalanceRow> Balances { get; } = new Keyset<BalanceRow>("materials.balances")
        .Ascending("b.location_id", b => b.LocationId).Ascending("m.code", b => b.MaterialCode);

    /// <summary>Newest first, the lines of one movement in reverse order.</summary>
    public static Keyset<LedgerEntryRow> Ledger { get; } = new Keyset<LedgerEntryRow>("materials.ledger")
        .Descending("recorded_at", e => e.RecordedAt).Descending("movement_id", e => e.MovementId).Descending("seq", e => e.Seq);

    /// <summary>Newest receipt first.</summary>
    public static Keyset<LotRow> Lots { get; } = new Keyset<LotRow>("materials.lots")
        .Descending("l.received_at", l => l.ReceivedAt).Descending("l.lot_id", l => l.LotId);

    /// <summary>The trainees of a programme's yields, by id.</summary>
    public static Keyset<string> YieldTrainees { get; } = new Keyset<string>("materials.yields")
        .Ascending("trainee_id", t => t);

    public static Task<IReadOnlyList<MaterialRow>> MaterialsAsync(DbSession db, KeysetPage page) =>
        db.QueryAsync<MaterialRow>($"SELECT {Queries.MaterialColumns} FROM materials WHERE {page.After} {page.OrderAndLimit}", page.With());

    public static Task<IReadOnlyList<ProductRow>> ProductsAsync(DbSession db, string code, KeysetPage page) =>
        db.QueryAsync<ProductRow>(
            $"SELECT {Queries.ProductColumns} FROM products WHERE (@code = '' OR code = @code) AND {page.After} {page.OrderAndLimit}",
            page.With(new { code }));

    /// <summary>
    /// Locations; <paramref name="officeFilter"/> ("AND office IN @offices", or "" for every office) with
    /// <paramref name="offices"/> narrows them to an office-scoped caller's (likewise for balances, ledger and lots).
    /// </summary>
    public static Task<IReadOnlyList<LocationRow>> LocationsAsync(DbSession db, int kind, string traineeId, string officeFilter, string[] offices, KeysetPage page) =>
        db.QueryAsync<LocationRow>(
            $"SELECT {Queries.LocationColumns} FROM locations WHERE (@kind = 0 OR kind = @kind) " +
            $"AND (@traineeId = '' OR trainee_id = @traineeId) {officeFilter}AND {page.After} {page.OrderAndLimit}",
            page.With(new { kind, traineeId, offices }));

    public static Task<IReadOnlyList<BalanceRow>> BalancesAsync(
        DbSession db, string locationId, string materialId, int locationKind, bool includeZero, string officeFilter, string[] offices, KeysetPage page) =>
        db.QueryAsync<BalanceRow>(
            "SELECT b.location_id AS LocationId, b.material_id AS MaterialId, b.quantity AS Quantity, m.base_unit AS BaseUnit, " +
            "m.code AS MaterialCode, b.updated_at AS UpdatedAt FROM balances b JOIN materials m ON m.material_id = b.material_id " +
            "JOIN locations l ON l.location_id = b.location_id " +
            "WHERE (@locationId = '' OR b.location_id = @locationId) AND (@materialId = '' OR b.material_id = @materialId) " +
            "AND (@kind = 0 OR l.kind = @kind) AND (@includeZero = 1 OR b.quantity > 0) " +
            $"{officeFilter}AND {page.After} {page.OrderAndLimit}",
            page.With(new { locationId, materialId, kind = locationKind, includeZero = includeZero ? 1 : 0, offices }));

    /// <summary>What a ledger listing is narrowed to; an empty id (or kind 0) does not narrow.</summary>
    public sealed record LedgerFilter(
        string LocationId, string MaterialId, string ProgrammeId, string ReportId, string LotId, string TraineeId, int Kind);

    /// <summary>Ledger entries; with an <paramref name="officeFilter"/> on <c>office</c>, only those at the offices' locations.</summary>
    public static Task<IReadOnlyList<LedgerEntryRow>> LedgerAsync(DbSession db, LedgerFilter filter, string officeFilter, string[] offices, KeysetPage page) =>
        db.QueryAsync<LedgerEntryRow>(
            $"SELECT {Queries.EntryColumns} FROM ledger_entries " +
            "WHERE (@LocationId = '' OR location_id = @LocationId) AND (@MaterialId = '' OR material_id = @MaterialId) " +
            "AND (@ProgrammeId = '' OR programme_id = @ProgrammeId) AND (@ReportId = '' OR report_id = @ReportId) " +
            "AND (@LotId = '' OR lot_id = @LotId) AND (@TraineeId = '' OR trainee_id = @TraineeId) AND (@Kind = 0 OR kind = @Kind) " +
            (officeFilter.Length == 0 ? "" : $"AND location_id IN (SELECT o.location_id FROM locations o WHERE 1 = 1 {officeFilter}) ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new
            {
                filter.LocationId,
                filter.MaterialId,
                filter.ProgrammeId,
                filter.ReportId,
                filter.LotId,
                filter.TraineeId,
                filter.Kind,
                offices,
            }));

    /// <summary>
    /// Lots; with an <paramref name="officeFilter"/> on <c>office</c>, those held (or once held: the rows stay at zero)
    /// at the offices' locations, with what remains of each there.
    /// </summary>
    public static Task<IReadOnlyList<LotRow>> LotsAsync(DbSession db, string materialId, bool remainingOnly, string officeFilter, string[] offices, KeysetPage page)
    {
        var at = officeFilter.Length == 0 ? "" : $"AND r.location_id IN (SELECT o.location_id FROM locations o WHERE 1 = 1 {officeFilter}) ";
        return db.QueryAsync<LotRow>(
            "SELECT l.lot_id AS LotId, l.lot_code AS LotCode, l.material_id AS MaterialId, l.receipt_movement_id AS ReceiptMovementId, " +
            "l.supplier_document_number AS SupplierDocumentNumber, l.received_quantity AS ReceivedQuantity, l.received_at AS ReceivedAt, " +
            $"(SELECT COALESCE(SUM(r.quantity), 0) FROM lot_balances r WHERE r.lot_id = l.lot_id {at}) AS RemainingQuantity " +
            "FROM lots l WHERE (@materialId = '' OR l.material_id = @materialId) " +
            $"AND (@remainingOnly = 0 OR EXISTS (SELECT 1 FROM lot_balances r WHERE r.lot_id = l.lot_id AND r.quantity > 0 {at})) " +
            (at.Length == 0 ? "" : $"AND EXISTS (SELECT 1 FROM lot_balances r WHERE r.lot_id = l.lot_id {at}) ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { materialId, remainingOnly = remainingOnly ? 1 : 0, offices }));
    }

    /// <summary>The trainees with a ledger entry or a consumption report in the programme.</summary>
    public static Task<IReadOnlyList<string>> YieldTraineesAsync(DbSession db, string programmeId, KeysetPage page) =>
        db.QueryAsync<string>(
            "SELECT trainee_id FROM (SELECT trainee_id FROM ledger_entries WHERE programme_id = @programmeId AND trainee_id <> '' " +
            "UNION SELECT trainee_id FROM consumption_reports WHERE programme_id = @programmeId) t " +
            $"WHERE {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId }));
}

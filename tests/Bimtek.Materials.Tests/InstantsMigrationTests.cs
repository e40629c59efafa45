using System.Reflection;
using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bimtek.Materials.Tests;

/// <summary>
/// Schema 0004 (issue 15): materials' instants move from microseconds to Unix milliseconds, as every service stores them.
/// Rows of every table with an instant, written under version 3 in microseconds, read back as the same instant to the
/// millisecond (the part below it dropped); the reference data's 2020-05-18 reads as 2020-05-18.
/// </summary>
public sealed class InstantsMigrationTests
{
    private const string Material = "a1000000-0000-4000-8000-000000000001";
    private const string Product = "b1000000-0000-4000-8000-000000000001";
    private const string Warehouse = "c1000000-0000-4000-8000-000000000001";
    private static readonly DateTimeOffset _instant = new DateTimeOffset(2026, 12, 6, 21, 9, 0, 123, TimeSpan.Zero).AddTicks(4_560);
    private static readonly long _micros = (_instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long _ms = new DateTimeOffset(2026, 12, 6, 21, 9, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly SchemaSource _materials = new("materials", Assembly.Load("Bimtek.Materials"));

    [Theory, BothDatabases]
    public async Task Every_instant_written_in_microseconds_reads_back_as_the_same_unix_milliseconds(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "materials-instants");
        await using var database = db.Open("materials.db");
        var migrator = new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance);
        await migrator.MigrateAsync([_materials with { UpToVersion = 3 }], CancellationToken.None);

        await database.InTransactionAsync(async s =>
        {
            var at = _micros;
            await s.ExecuteAsync("INSERT INTO materials (material_id, code, name, base_unit, created_at) VALUES ('m2', 'PIN', 'Pin', 1, @at)", new { at });
            await s.ExecuteAsync("INSERT INTO products (product_id, code, name, unit_name, created_at) VALUES ('p2', 'BAG', 'Bag', 'bag', @at)", new { at });
            await s.ExecuteAsync("INSERT INTO bom_versions (product_id, version, created_at) VALUES ('p2', 1, @at)", new { at });
            await s.ExecuteAsync("INSERT INTO locations (location_id, kind, name, trainee_id, created_at) VALUES ('home', 3, 'Home', 't1', @at)", new { at });
            await s.ExecuteAsync(
                "INSERT INTO lots (lot_id, lot_code, material_id, receipt_movement_id, supplier_document_number, received_quantity, received_at) " +
                "VALUES ('lot', 'L1', 'm2', 'mv', 'SJ-1', 10, @at)", new { at });
            await s.ExecuteAsync("INSERT INTO balances (material_id, location_id, quantity, updated_at) VALUES ('m2', @Warehouse, 10, @at)", new { Warehouse, at });
            await s.ExecuteAsync("INSERT INTO movements (movement_id, kind, to_location_id, recorded_at) VALUES ('mv', 1, @Warehouse, @at)", new { Warehouse, at });
            await s.ExecuteAsync(
                "INSERT INTO ledger_entries (entry_id, movement_id, seq, kind, location_id, material_id, lot_id, quantity_delta, balance_after, recorded_at) " +
                "VALUES ('e1', 'mv', 1, 1, @Warehouse, 'm2', 'lot', 10, 10, @at)", new { Warehouse, at });
            await s.ExecuteAsync(
                "INSERT INTO kit_plans (kit_plan_id, programme_id, product_id, bom_version, source_location_id, created_at) VALUES ('k1', 'pr', 'p2', 1, @Warehouse, @at)",
                new { Warehouse, at });
            await s.ExecuteAsync(
                "INSERT INTO consumption_reports (report_id, request_hash, trainee_id, programme_id, product_id, bom_version, units, movement_id, created_at) " +
                "VALUES ('r1', 'h', 't1', 'pr', 'p2', 1, 5, 'mv', @at)", new { at });
        });

        await migrator.MigrateAsync([_materials], CancellationToken.None);

        await using var connection = await database.OpenConnectionAsync();
        foreach (var sql in new[]
        {
            "SELECT created_at FROM materials WHERE material_id = 'm2'",
            "SELECT created_at FROM products WHERE product_id = 'p2'",
            "SELECT created_at FROM bom_versions WHERE product_id = 'p2'",
            "SELECT created_at FROM locations WHERE location_id = 'home'",
            "SELECT received_at FROM lots WHERE lot_id = 'lot'",
            "SELECT updated_at FROM balances WHERE material_id = 'm2'",
            "SELECT recorded_at FROM movements WHERE movement_id = 'mv'",
            "SELECT recorded_at FROM ledger_entries WHERE entry_id = 'e1'",
            "SELECT created_at FROM kit_plans WHERE kit_plan_id = 'k1'",
            "SELECT created_at FROM consumption_reports WHERE report_id = 'r1'",
        })
        {
            Assert.Equal((sql, _ms), (sql, await connection.ExecuteScalarAsync<long>(sql)));
        }
        var referenceDay = new DateTimeOffset(2020, 5, 18, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(referenceDay, await connection.ExecuteScalarAsync<long>("SELECT created_at FROM materials WHERE material_id = @Material", new { Material }));
        Assert.Equal(referenceDay, await connection.ExecuteScalarAsync<long>("SELECT created_at FROM products WHERE product_id = @Product", new { Product }));
        Assert.Equal(referenceDay, await connection.ExecuteScalarAsync<long>("SELECT created_at FROM locations WHERE location_id = @Warehouse", new { Warehouse }));
        Assert.Equal(10, await connection.ExecuteScalarAsync<long>("SELECT balance_after FROM ledger_entries WHERE entry_id = 'e1'"));
    }
}

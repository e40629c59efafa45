using System.Reflection;
using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// Schema 0007 (issue 15): distribution's instants move from ISO-8601 text to BIGINT Unix milliseconds. Rows of every
/// converted table written under version 6 (as <c>Iso.Instant</c> wrote them: seven fraction digits and Z) read back
/// after the migration as the same instants, to the millisecond; constraints, keys and indexes hold as before.
/// </summary>
public sealed class InstantsMigrationTests
{
    private const string Text = "2026-12-06T21:09:00.1234567Z";
    private const string Later = "2026-12-07T08:30:15.9990001Z";
    private static readonly long _textMs = new DateTimeOffset(2026, 12, 6, 21, 9, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long _laterMs = new DateTimeOffset(2026, 12, 7, 8, 30, 15, 999, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly SchemaSource _distribution = new("distribution", Assembly.Load("Bimtek.Distribution"));

    [Theory, BothDatabases]
    public async Task Every_instant_written_as_iso_text_reads_back_as_the_same_unix_milliseconds(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "distribution-instants");
        await using var database = db.Open("distribution.db");
        var migrator = new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance);
        await migrator.MigrateAsync([_distribution with { UpToVersion = 6 }], CancellationToken.None);

        await database.InTransactionAsync(async s =>
        {
            await s.ExecuteAsync(
                "INSERT INTO recipients (recipient_id, kind, name, district, contact_person, phone, created_at, office) " +
                "VALUES ('r1', 1, 'BPBD', 'HSU', 'Clerk', '+62', @Text, 'HSU')", new { Text });
            await s.ExecuteAsync("INSERT INTO recipient_users (recipient_id, subject) VALUES ('r1', 'clerk')");
            await s.ExecuteAsync(
                "INSERT INTO goods_receipts (receipt_id, inspection_id, programme_id, trainee_id, product_code, units, accepted_at, received_at) " +
                "VALUES ('g1', 'i1', 'p1', 't1', 'MASK', 500, @Text, @Later)", new { Text, Later });
            await s.ExecuteAsync(
                "INSERT INTO finished_goods (programme_id, product_code, received_units, handed_over_units, updated_at) VALUES ('p1', 'MASK', 500, 500, @Later)",
                new { Later });
            foreach (var (id, number, confirmed, cancelled) in new[] { ("h1", "001", (string?)Later, (string?)null), ("h2", "002", null, Later) })
            {
                await s.ExecuteAsync(
                    "INSERT INTO handovers (handover_id, document_number, office_code, document_year, document_sequence, programme_id, programme_title, " +
                    "product_code, product_name, units, delivered_units, recipient_id, recipient_name, day, place, giver_name, giver_position, receiver_name, " +
                    "receiver_position, note, status, created_by, created_at, confirmed_at, cancelled_at, programme_code) VALUES (@id, @number, 'HSU', 2026, " +
                    "@sequence, 'p1', 'Masker', 'MASK', 'Masker', 250, 10, 'r1', 'BPBD', '2026-12-06', 'Amuntai', 'A', 'Kepala', 'B', 'Staf', '', 2, 'op', " +
                    "@Text, @confirmed, @cancelled, 'HSU-1')",
                    new { id, number, sequence = long.Parse(number, System.Globalization.CultureInfo.InvariantCulture), Text, confirmed, cancelled });
            }
            await s.ExecuteAsync(
                "INSERT INTO onward_deliveries (onward_delivery_id, recipient_id, handover_id, programme_id, product_code, place, day, units, households, " +
                "note, recorded_by, created_at) VALUES ('o1', 'r1', 'h1', 'p1', 'MASK', 'Desa', '2026-12-07', 10, 4, '', 'clerk', @Text)", new { Text });
            await s.ExecuteAsync("INSERT INTO programme_names (programme_id, code, title, learned_at) VALUES ('p1', 'HSU-1', 'Masker', @Text)", new { Text });
            await s.ExecuteAsync("INSERT INTO product_names (product_code, name, learned_at) VALUES ('MASK', 'Masker', @Later)", new { Later });
        });

        await migrator.MigrateAsync([_distribution], CancellationToken.None);

        await using var connection = await database.OpenConnectionAsync();
        async Task<long?> At(string sql) => await connection.ExecuteScalarAsync<long?>(sql);
        Assert.Equal(_textMs, await At("SELECT created_at FROM recipients WHERE recipient_id = 'r1'"));
        Assert.Equal(_textMs, await At("SELECT accepted_at FROM goods_receipts WHERE receipt_id = 'g1'"));
        Assert.Equal(_laterMs, await At("SELECT received_at FROM goods_receipts WHERE receipt_id = 'g1'"));
        Assert.Equal(_laterMs, await At("SELECT updated_at FROM finished_goods WHERE programme_id = 'p1'"));
        Assert.Equal(_textMs, await At("SELECT created_at FROM handovers WHERE handover_id = 'h1'"));
        Assert.Equal(_laterMs, await At("SELECT confirmed_at FROM handovers WHERE handover_id = 'h1'"));
        Assert.Null(await At("SELECT cancelled_at FROM handovers WHERE handover_id = 'h1'"));
        Assert.Null(await At("SELECT confirmed_at FROM handovers WHERE handover_id = 'h2'"));
        Assert.Equal(_laterMs, await At("SELECT cancelled_at FROM handovers WHERE handover_id = 'h2'"));
        Assert.Equal(_textMs, await At("SELECT created_at FROM onward_deliveries WHERE onward_delivery_id = 'o1'"));
        Assert.Equal(_textMs, await At("SELECT learned_at FROM programme_names WHERE programme_id = 'p1'"));
        Assert.Equal(_laterMs, await At("SELECT learned_at FROM product_names WHERE product_code = 'MASK'"));
        // Everything else of the rows came across as it was.
        Assert.Equal(("HSU", "clerk"), await connection.QuerySingleAsync<(string, string)>(
            "SELECT r.office, u.subject FROM recipients r JOIN recipient_users u ON u.recipient_id = r.recipient_id"));
        Assert.Equal(("HSU-1", 10L, "2026-12-06"), await connection.QuerySingleAsync<(string, long, string)>(
            "SELECT programme_code, delivered_units, day FROM handovers WHERE handover_id = 'h1'"));

        // The rules of the tables hold as before: no oversell, a unique document number, a known recipient.
        await AssertRefusedAsync(database, "UPDATE finished_goods SET handed_over_units = 501 WHERE programme_id = 'p1'");
        await AssertRefusedAsync(database,
            "INSERT INTO handovers (handover_id, document_number, office_code, document_year, document_sequence, programme_id, programme_title, " +
            "product_code, product_name, units, recipient_id, recipient_name, day, place, giver_name, giver_position, receiver_name, receiver_position, " +
            "note, status, created_by, created_at) VALUES ('h3', '001', 'HSU', 2026, 3, 'p1', '', 'MASK', '', 1, 'r1', '', '2026-12-06', '', '', '', '', " +
            "'', '', 1, 'op', 0)");
        await AssertRefusedAsync(database,
            "INSERT INTO onward_deliveries (onward_delivery_id, recipient_id, handover_id, programme_id, product_code, place, day, units, households, " +
            "note, recorded_by, created_at) VALUES ('o2', 'nobody', 'h1', 'p1', 'MASK', '', '2026-12-07', 1, 1, '', 'clerk', 0)");
        await AssertRefusedAsync(database,
            "INSERT INTO recipients (recipient_id, kind, name, district, contact_person, phone, office) VALUES ('r2', 1, 'x', 'x', 'x', 'x', '')",
            sqliteAccepts: true); // SQLite's swapped column carries DEFAULT 0 (a NOT NULL column is only added with a default)
        var indexes = kind == DatabaseKind.Postgres
            ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('ix_handovers_created', 'ix_handovers_recipient', 'ix_handovers_programme', " +
              "'ix_goods_receipts_programme', 'ix_onward_deliveries_recipient', 'ix_onward_deliveries_programme', 'ix_recipients_name', 'ix_recipients_office')"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_handovers_created', 'ix_handovers_recipient', " +
              "'ix_handovers_programme', 'ix_goods_receipts_programme', 'ix_onward_deliveries_recipient', 'ix_onward_deliveries_programme', " +
              "'ix_recipients_name', 'ix_recipients_office')";
        Assert.Equal(8, await connection.ExecuteScalarAsync<long>(indexes));
    }

    private static async Task AssertRefusedAsync(Database database, string sql, bool sqliteAccepts = false)
    {
        var refused = false;
        try
        {
            await database.InTransactionAsync(s => s.ExecuteAsync(sql));
        }
        catch (System.Data.Common.DbException)
        {
            refused = true;
        }
        Assert.Equal(!(sqliteAccepts && !database.Dialect.IsPostgres), refused);
    }
}

using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// Issue 15's one representation of instants in the shared tables: a database from before it (the schema history with
/// ISO-8601 text, idempotency keys with ISO text on SQLite and TIMESTAMPTZ on PostgreSQL) is migrated in place to BIGINT
/// Unix milliseconds, and every row reads back as the same instant.
/// </summary>
public sealed class InstantsMigrationTests
{
    private const string OldHistory =
        "CREATE TABLE schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, " +
        "name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))";

    private static readonly SchemaSource _shared = new("service-defaults", typeof(Database).Assembly);

    [Theory, BothDatabases]
    public async Task The_schema_history_and_idempotency_keys_from_before_issue_15_read_back_as_the_same_instants(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "instants-shared");
        await using var database = db.Open("instants.db");
        var migrator = new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The history as the migrator kept it before: ISO text from DateTime.UtcNow.ToString("O").
        await database.InTransactionAsync(async s =>
        {
            await s.ExecuteAsync(OldHistory);
            await s.ExecuteAsync("INSERT INTO schema_migrations (component, version, name, applied_at) VALUES ('earlier', 1, 'initial', '2026-12-06T21:09:00.1234567Z')");
        });
        await migrator.MigrateAsync([_shared with { UpToVersion = 2 }], CancellationToken.None);

        // Keys as the version-2 schema stored them: its text default's shape on SQLite, a timestamp on PostgreSQL.
        await database.InTransactionAsync(async s =>
        {
            object created = s.Dialect.IsPostgres ? new DateTime(2026, 12, 6, 21, 9, 0, 123, DateTimeKind.Utc).AddTicks(4_567) : "2026-12-06T21:09:00.123Z";
            await s.ExecuteAsync(
                "INSERT INTO idempotency_keys (request_id, operation, request_hash, response, created_at) VALUES ('old', 'op', 'hash', @response, @created)",
                new { response = new byte[] { 1 }, created });
        });

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await migrator.MigrateAsync([_shared], CancellationToken.None);
        await database.InTransactionAsync(s => s.ExecuteAsync(
            "INSERT INTO idempotency_keys (request_id, operation, request_hash) VALUES ('new', 'op', 'hash')"));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await using var connection = await database.OpenConnectionAsync();
        var expected = new DateTimeOffset(2026, 12, 6, 21, 9, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(expected, await connection.ExecuteScalarAsync<long>("SELECT applied_at FROM schema_migrations WHERE component = 'earlier'"));
        var applied = (await connection.QueryAsync<long>(
            "SELECT applied_at FROM schema_migrations WHERE component = 'service-defaults' ORDER BY version")).ToList();
        Assert.Equal(3, applied.Count);
        Assert.All(applied, at => Assert.InRange(at, start, after));
        Assert.Equal(expected, await connection.ExecuteScalarAsync<long>("SELECT created_at FROM idempotency_keys WHERE request_id = 'old'"));
        Assert.Equal(new byte[] { 1 }, await connection.ExecuteScalarAsync<byte[]>("SELECT response FROM idempotency_keys WHERE request_id = 'old'"));
        // The default is the database's now, in milliseconds (the clocks of test and database are the same machine's).
        Assert.InRange(await connection.ExecuteScalarAsync<long>("SELECT created_at FROM idempotency_keys WHERE request_id = 'new'"), before - 1_000, after + 1_000);
        // The retention index is still there for the pruner.
        var index = kind == DatabaseKind.Postgres
            ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'idempotency_keys_created'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'idempotency_keys_created'";
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(index));

        // A second start changes nothing.
        await migrator.MigrateAsync([_shared], CancellationToken.None);
        Assert.Equal(expected, await connection.ExecuteScalarAsync<long>("SELECT applied_at FROM schema_migrations WHERE component = 'earlier'"));
    }
}

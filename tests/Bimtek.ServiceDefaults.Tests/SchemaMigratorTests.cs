using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// The schema migrator with a script marked <c>-- bimtek:no-transaction</c> (the probe's <c>0002_probe_note_index</c>):
/// on PostgreSQL it builds its index CONCURRENTLY, which PostgreSQL refuses inside a transaction block, so the script
/// only applies when the migrator runs it outside one; on SQLite the engine's own script runs as usual. Several
/// instances starting at once apply it once, and a second start changes nothing.
/// </summary>
public sealed class SchemaMigratorTests
{
    [Theory, BothDatabases]
    public async Task A_no_transaction_script_builds_its_index_concurrently_once_while_instances_start_together(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "migrator");
        await using var database = db.Open("migrator.db");
        var source = new SchemaSource("migrator-test", typeof(SchemaMigratorTests).Assembly);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync([source], CancellationToken.None)));
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync([source], CancellationToken.None);

        await using var connection = await database.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM schema_migrations WHERE component = 'migrator-test' AND version = 2"));
        if (kind == DatabaseKind.Postgres)
        {
            // Built, and valid: a concurrent build that failed would leave indisvalid = false.
            Assert.True(await connection.ExecuteScalarAsync<bool>(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'notes_by_sequence'"));
            // And the lock the migrator took for it (a session lock, not a transaction's) was given back.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        }
        else
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'notes_by_sequence'"));
        }
    }

    [Fact]
    public void The_marker_is_only_a_first_line_and_statements_split_at_line_ending_semicolons()
    {
        var statements = SchemaMigrator.Statements(
            "-- bimtek:no-transaction\n-- a comment; with a semicolon\nDROP INDEX CONCURRENTLY IF EXISTS a;\nCREATE INDEX CONCURRENTLY a\n  ON t (x);\n");
        Assert.Equal(["DROP INDEX CONCURRENTLY IF EXISTS a", "CREATE INDEX CONCURRENTLY a\n  ON t (x)"], statements);
    }
}

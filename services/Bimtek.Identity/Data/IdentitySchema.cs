using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Bimtek.Identity.Data;

/// <summary>
/// Brings the identity database to the newest schema at start-up: EF Core migrations of the database's provider
/// (<c>Data/Migrations/Sqlite</c> or <c>Data/Migrations/Postgres</c>), applied in order; EF Core takes a lock so two
/// replicas starting together migrate once. A database created before migrations (by <c>EnsureCreated</c>, whose
/// schema is the first migration's) is adopted: the first migration is recorded as applied, the rest run.
/// </summary>
public static class IdentitySchema
{
    public static async Task MigrateAsync(IdentityDb db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (!(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any() && await HasTableAsync(db, "AspNetUsers", cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
            try
            {
                // The first migration (Initial) is the model EnsureCreated built before migrations existed.
                var baseline = db.Database.GetMigrations().First();
                await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())), cancellationToken);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException)
            {
                // Another replica adopted it at the same moment: its row is there.
            }
        }
        await db.Database.MigrateAsync(cancellationToken);
    }

    private static async Task<bool> HasTableAsync(IdentityDb db, string table, CancellationToken cancellationToken)
    {
        // Resolved as the provider resolves the model's unqualified table names (PostgreSQL: the search path).
        var sql = db.Database.IsNpgsql()
            ? $"SELECT to_regclass('\"{table}\"') IS NOT NULL"
            : $"SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            return Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

using System.Data.Common;
using Bimtek.Coordinator.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bimtek.Coordinator.Data;

/// <summary>
/// Creates the tables and (on PostgreSQL) <c>OrleansQuery</c> rows the Orleans 10.4.2 ADO.NET providers need when
/// they are missing, before the silo starts. Our own SQL, written against the providers' query
/// contract: the query keys each provider loads, the parameter names it binds and the result
/// columns it reads (see <see cref="OrleansSql"/>). Query texts are upserted on every start, so a
/// changed query in this repository reaches existing databases; tables are only ever created (on
/// SQLite two tables earlier versions created and never used are dropped).
/// </summary>
public static class OrleansSchema
{
    public static async Task EnsureAsync(OrleansStorageSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.Kind == OrleansStorageKind.Postgres)
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Two silos starting on an empty database must not race their CREATE statements.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(727274001)", cancellationToken);
            await ExecuteAsync(connection, transaction, OrleansSql.PostgresTables, cancellationToken);
            foreach (var (key, text) in OrleansSql.PostgresQueries)
            {
                await UpsertQueryAsync(connection, transaction, key, text, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        await using (var sqlite = new SqliteConnection(settings.ConnectionString))
        {
            await sqlite.OpenAsync(cancellationToken);
            // WAL: readers beside the single writer; the setting is stored in the file.
            await ExecuteAsync(sqlite, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            await using var transaction = (SqliteTransaction)await sqlite.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(sqlite, transaction, OrleansSql.SqliteTables, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task UpsertQueryAsync(DbConnection connection, DbTransaction transaction, string key, string text, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) " +
            "ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText";
        var k = command.CreateParameter();
        k.ParameterName = "key";
        k.Value = key;
        command.Parameters.Add(k);
        var t = command.CreateParameter();
        t.ParameterName = "text";
        t.Value = text;
        command.Parameters.Add(t);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

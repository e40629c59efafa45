using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Bimtek.ServiceDefaults.Time;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Bimtek.Data.Persistence;

/// <summary>
/// An assembly whose embedded <c>Schema/NNNN_name[.sqlite|.postgres].sql</c> files make up one component's schema;
/// <paramref name="UpToVersion"/> stops at that version (a migration's test brings a database to the version before it,
/// plants rows in that version's format, then migrates the rest).
/// </summary>
public sealed record SchemaSource(string Component, Assembly Assembly, int? UpToVersion = null);

/// <summary>
/// Versioned schema: applies each component's numbered SQL scripts that are not yet recorded in
/// <c>schema_migrations</c>, each in its own transaction together with its record. A script named
/// <c>0002_x.sql</c> serves both engines; <c>0002_x.postgres.sql</c> / <c>0002_x.sqlite.sql</c>
/// replace it for one engine. Several instances starting at once are serialised by an advisory
/// session lock (PostgreSQL) or the database write lock (SQLite). A PostgreSQL script whose first line is
/// <see cref="NoTransactionMarker"/> runs statement by statement outside a transaction (CREATE INDEX CONCURRENTLY).
/// </summary>
public sealed partial class SchemaMigrator(Database database, ILogger<SchemaMigrator> logger)
{
    private const string CreateHistory =
        "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, " +
        "name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (component, version))";

    public async Task MigrateAsync(IEnumerable<SchemaSource> sources, CancellationToken cancellationToken)
    {
        // PostgreSQL: one session lock for the whole migration, held on a connection of its own. Waited for by polling,
        // never inside a transaction: CREATE INDEX CONCURRENTLY waits for every transaction of the database that holds an
        // older snapshot, so an instance blocked on the lock inside one would deadlock with the instance building the index.
        await using var lockSession = database.Dialect.IsPostgres ? await database.OpenConnectionAsync(cancellationToken) : null;
        if (lockSession is not null)
        {
            await AcquireLockAsync(lockSession, cancellationToken);
        }
        try
        {
            await database.InTransactionAsync(async s =>
            {
                await s.ExecuteAsync(CreateHistory);
                await HistoryAsUnixMsAsync(s);
            }, cancellationToken);
            foreach (var source in sources)
            {
                foreach (var migration in Load(source, database.Dialect))
                {
                    if (migration.OutsideTransaction && lockSession is not null)
                    {
                        await ApplyOutsideTransactionAsync(lockSession, source, migration, cancellationToken);
                        continue;
                    }
                    await database.InTransactionAsync(async s =>
                    {
                        var applied = await s.ExecuteScalarAsync<long>(
                            "SELECT COUNT(*) FROM schema_migrations WHERE component = @Component AND version = @Version",
                            new { source.Component, migration.Version });
                        if (applied > 0)
                        {
                            return;
                        }
                        await s.ExecuteAsync(migration.Sql);
                        await s.ExecuteAsync(
                            "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @AppliedAt)",
                            new { source.Component, migration.Version, migration.Name, AppliedAt = TimeProvider.System.NowMs() });
                        LogApplied(logger, source.Component, migration.Version, migration.Name);
                    }, cancellationToken);
                }
            }
        }
        finally
        {
            if (lockSession is not null)
            {
                try
                {
                    await lockSession.ExecuteAsync(new CommandDefinition($"SELECT pg_advisory_unlock({LockKey})", cancellationToken: CancellationToken.None));
                }
                catch (DbException)
                {
                    // A broken session has lost the lock with it; the migration's own failure (if any) is the one to report.
                }
            }
        }
    }

    /// <summary>
    /// Until issue 15's one representation of instants, <c>schema_migrations.applied_at</c> was ISO-8601 text written by
    /// <c>DateTime.UtcNow.ToString("O")</c>, one fixed shape (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>): whole seconds × 1000 +
    /// the first three fraction digits, as the services' own conversions do. No numbered script can convert the table
    /// that records the numbered scripts, so the migrator does, once, before it applies any, under the migration's lock.
    /// </summary>
    private static async Task HistoryAsUnixMsAsync(DbSession s)
    {
        const string ToMs = "(substr(applied_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(applied_at, 21, 3)::bigint";
        if (s.Dialect.IsPostgres)
        {
            if (await s.ExecuteScalarAsync<string>(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() " +
                "AND table_name = 'schema_migrations' AND column_name = 'applied_at'") == "text")
            {
                await s.ExecuteAsync($"ALTER TABLE schema_migrations ALTER COLUMN applied_at TYPE BIGINT USING extract(epoch FROM {ToMs}");
            }
            return;
        }
        if (await s.ExecuteScalarAsync<string>("SELECT type FROM pragma_table_info('schema_migrations') WHERE name = 'applied_at'") == "TEXT")
        {
            await s.ExecuteAsync(
                "CREATE TABLE schema_migrations_new (component TEXT NOT NULL, version INTEGER NOT NULL, " +
                "name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (component, version));" +
                "INSERT INTO schema_migrations_new (component, version, name, applied_at) SELECT component, version, name, " +
                "CAST(strftime('%s', substr(applied_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(applied_at, 21, 3) AS INTEGER) FROM schema_migrations;" +
                "DROP TABLE schema_migrations;" +
                "ALTER TABLE schema_migrations_new RENAME TO schema_migrations;");
        }
    }

    /// <summary>Any constant shared by every instance of every service (each service has its own database).</summary>
    private const long LockKey = 7261537390;

    private static async Task AcquireLockAsync(DbConnection session, CancellationToken cancellationToken)
    {
        while (!await session.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT pg_try_advisory_lock({LockKey})", cancellationToken: cancellationToken)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>
    /// A PostgreSQL script marked <c>-- bimtek:no-transaction</c> on its first line (e.g. <c>CREATE INDEX CONCURRENTLY</c> on a
    /// table that is big by the time the script ships: the table stays writable while the index is built). Each statement
    /// runs on its own, outside any transaction, on the session that holds the migration lock; the script is recorded after
    /// the last one succeeded. A run that dies midway runs the whole script again at the next start, so such a script must be
    /// re-runnable (<c>DROP INDEX CONCURRENTLY IF EXISTS</c> first: a failed concurrent build leaves an INVALID index).
    /// </summary>
    private async Task ApplyOutsideTransactionAsync(DbConnection session, SchemaSource source, Migration migration, CancellationToken cancellationToken)
    {
        var applied = await session.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_migrations WHERE component = @Component AND version = @Version",
            new { source.Component, migration.Version }, cancellationToken: cancellationToken));
        if (applied > 0)
        {
            return;
        }
        foreach (var statement in Statements(migration.Sql))
        {
            // One statement per command: Npgsql sends a multi-statement command as one implicit transaction.
            await session.ExecuteAsync(new CommandDefinition(statement, commandTimeout: 0, cancellationToken: cancellationToken));
        }
        await session.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @AppliedAt)",
            new { source.Component, migration.Version, migration.Name, AppliedAt = TimeProvider.System.NowMs() }, cancellationToken: cancellationToken));
        LogApplied(logger, source.Component, migration.Version, migration.Name);
    }

    /// <summary>The statements of a no-transaction script: split at semicolons ending a line, comment lines dropped.</summary>
    public static IReadOnlyList<string> Statements(string sql)
    {
        var lines = sql.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return [.. string.Join('\n', lines).Split(";\n").Select(st => st.Trim().TrimEnd(';').Trim()).Where(st => st.Length > 0)];
    }

    /// <summary>The first line that marks a PostgreSQL script to run outside a transaction.</summary>
    public const string NoTransactionMarker = "-- bimtek:no-transaction";

    internal sealed record Migration(int Version, string Name, string Sql)
    {
        public bool OutsideTransaction => Sql.TrimStart().StartsWith(NoTransactionMarker, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<Migration> Load(SchemaSource source, SqlDialect dialect)
    {
        var engine = dialect.IsPostgres ? "postgres" : "sqlite";
        var scripts = new Dictionary<int, (string Name, string? Variant, string ResourceName)>();
        foreach (var resource in source.Assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            var version = int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var variant = match.Groups["engine"].Success ? match.Groups["engine"].Value : null;
            if (variant is not null && variant != engine)
            {
                continue;
            }
            // An engine-specific script wins over the portable one with the same number.
            if (!scripts.TryGetValue(version, out var existing) || (existing.Variant is null && variant is not null))
            {
                scripts[version] = (match.Groups["name"].Value, variant, resource);
            }
        }
        return scripts.Where(p => source.UpToVersion is not { } last || p.Key <= last).OrderBy(p => p.Key)
            .Select(p => new Migration(p.Key, p.Value.Name, Read(source.Assembly, p.Value.ResourceName)))
            .ToList();
    }

    private static string Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Schema resource {resourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^schema/(?<version>\d{4})_(?<name>[a-z0-9_]+?)(\.(?<engine>sqlite|postgres))?\.sql$")]
    private static partial Regex ScriptName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema {Component} {Version:D4} {Name}")]
    private static partial void LogApplied(ILogger logger, string component, int version, string name);
}

using System.Diagnostics;
using Bimtek.Data.Persistence;
using Bimtek.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bimtek.Deploy.Tests;

/// <summary>
/// Least privilege, tried on a real PostgreSQL with compose's own init script
/// (deploy/postgres/init-databases.sh): one role per service, owning only its own database.
/// </summary>
public sealed class DatabaseRoleTests
{
    private static readonly string[] _services = ["participants", "materials", "production", "distribution", "identity", "coordinator", "notifications"];

    [Fact]
    public async Task Each_service_role_owns_only_its_database_and_cannot_read_another_services_tables()
    {
        var server = await PostgresServer.GetAsync();
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Pooling = false };
        var prefix = $"lp{Guid.NewGuid():N}"[..10] + "_";
        var secrets = Directory.CreateTempSubdirectory("bimtek-pgpass-");
        try
        {
            foreach (var service in _services)
            {
                await File.WriteAllTextAsync(
                    Path.Combine(secrets.FullName, $"postgres_{service}"),
                    $"*:*:*:{prefix}{service}:{Guid.NewGuid():N}\n");
            }

            await RunInitScriptAsync(admin, secrets.FullName, prefix);

            // No role can do more than own its database.
            await using (var connection = await OpenAsync(admin))
            {
                foreach (var service in _services)
                {
                    var database = prefix + (service == "coordinator" ? "orleans" : service);
                    await using var command = new NpgsqlCommand(
                        "SELECT r.rolsuper OR r.rolcreatedb OR r.rolcreaterole OR r.rolreplication, pg_get_userbyid(d.datdba), " +
                        "has_database_privilege('public', d.datname, 'CONNECT') " +
                        "FROM pg_roles r, pg_database d WHERE r.rolname = @role AND d.datname = @database", connection);
                    command.Parameters.AddWithValue("role", prefix + service);
                    command.Parameters.AddWithValue("database", database);
                    await using var reader = await command.ExecuteReaderAsync();
                    Assert.True(await reader.ReadAsync(), $"role or database missing for {service}");
                    Assert.False(reader.GetBoolean(0), $"{service}'s role has more than login rights");
                    Assert.Equal(prefix + service, reader.GetString(1));
                    Assert.False(reader.GetBoolean(2), $"anyone may connect to {database}");
                }
            }

            // Each role works in its own database (the coordinator's in the Orleans one), with the password file it is given:
            // the services' schema migrations (tables, indexes, the advisory lock) run as the service's role.
            var participants = Role(admin, prefix, "participants", prefix + "participants", secrets.FullName);
            await using (var database = Database.ForPostgres(participants.ConnectionString))
            {
                await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance)
                    .MigrateAsync([new SchemaSource("service-defaults", typeof(PersistenceExtensions).Assembly)], CancellationToken.None);
                await database.InTransactionAsync(s => s.ExecuteAsync(
                    "INSERT INTO idempotency_keys (request_id, operation, request_hash) VALUES ('k', 'op', 'h')"));
            }
            await ExecuteAsync(participants, "CREATE TABLE trainees (id TEXT PRIMARY KEY); INSERT INTO trainees VALUES ('t1')");
            await ExecuteAsync(Role(admin, prefix, "coordinator", prefix + "orleans", secrets.FullName), "CREATE TABLE orleans_probe (id INT)");

            // Another service's role cannot even connect to it …
            var materialsInParticipants = Role(admin, prefix, "materials", prefix + "participants", secrets.FullName);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(materialsInParticipants, "SELECT 1"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);

            // … and were CONNECT granted by mistake, still reads none of its tables.
            await ExecuteAsync(admin, $"GRANT CONNECT ON DATABASE \"{prefix}participants\" TO \"{prefix}materials\"");
            var unreadable = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(materialsInParticipants, "SELECT * FROM trainees"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, unreadable.SqlState);

            // Nor can a service role make itself more roles or databases.
            var noRole = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(participants, $"CREATE ROLE \"{prefix}x\""));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, noRole.SqlState);
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The audit command's role (init-databases.sh, bimtek_audit): reads the tables of the four services it checks —
    /// also tables their roles create after the init script ran — and can change nothing, create nothing, and not
    /// even connect to identity's or the Orleans database.
    /// </summary>
    [Fact]
    public async Task The_audit_role_reads_every_checked_services_tables_and_cannot_write()
    {
        var server = await PostgresServer.GetAsync();
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Pooling = false };
        var prefix = $"au{Guid.NewGuid():N}"[..10] + "_";
        var secrets = Directory.CreateTempSubdirectory("bimtek-pgpass-");
        try
        {
            foreach (var service in _services.Append("audit"))
            {
                await File.WriteAllTextAsync(
                    Path.Combine(secrets.FullName, $"postgres_{service}"),
                    $"*:*:*:{prefix}{service}:{Guid.NewGuid():N}\n");
            }
            await RunInitScriptAsync(admin, secrets.FullName, prefix);

            foreach (var service in new[] { "participants", "materials", "production", "distribution" })
            {
                // The service's role makes its table after the init script ran, as a service's migrations do.
                await ExecuteAsync(Role(admin, prefix, service, prefix + service, secrets.FullName),
                    "CREATE TABLE outbox_messages (id TEXT PRIMARY KEY, status TEXT); INSERT INTO outbox_messages VALUES ('m1', 'pending')");
                var audit = Role(admin, prefix, "audit", prefix + service, secrets.FullName);
                await using (var connection = await OpenAsync(audit))
                {
                    await using var read = new NpgsqlCommand("SELECT count(*) FROM outbox_messages", connection);
                    Assert.Equal(1L, await read.ExecuteScalarAsync());
                }
                foreach (var write in new[]
                {
                    "UPDATE outbox_messages SET status = 'delivered'",
                    "DELETE FROM outbox_messages",
                    "INSERT INTO outbox_messages VALUES ('m2', 'pending')",
                    "CREATE TABLE planted (id INT)",
                })
                {
                    // Read-only session by default, and without the rights even when the session is made writable.
                    var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(audit, write));
                    Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);
                    var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecuteWritableAsync(audit, write));
                    Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
                }
            }
            foreach (var database in new[] { prefix + "identity", prefix + "orleans" })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(Role(admin, prefix, "audit", database, secrets.FullName), "SELECT 1"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    private static NpgsqlConnectionStringBuilder Role(NpgsqlConnectionStringBuilder admin, string prefix, string service, string database, string secrets) =>
        new(admin.ConnectionString)
        {
            Username = prefix + service,
            Database = database,
            Passfile = Path.Combine(secrets, $"postgres_{service}"),
        };

    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder builder)
    {
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> in a session that first turns its read-only default off.</summary>
    private static async Task ExecuteWritableAsync(NpgsqlConnectionStringBuilder builder, string sql)
    {
        await using var connection = await OpenAsync(builder);
        await using (var writable = new NpgsqlCommand("SET default_transaction_read_only = off", connection))
        {
            await writable.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder builder, string sql)
    {
        await using var connection = await OpenAsync(builder);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task RunInitScriptAsync(NpgsqlConnectionStringBuilder admin, string secrets, string prefix)
    {
        var start = new ProcessStartInfo("sh", [RepositoryFiles.PathOf("deploy", "postgres", "init-databases.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = PsqlDirectory() + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["PGHOST"] = admin.Host;
        start.Environment["PGPORT"] = admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_USER"] = admin.Username;
        start.Environment["BIMTEK_SECRETS_DIR"] = secrets;
        start.Environment["BIMTEK_PREFIX"] = prefix;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"init-databases.sh failed ({process.ExitCode}): {await output}{await error}");
    }

    /// <summary>psql of the PostgreSQL the test server runs (on PATH or Debian's /usr/lib/postgresql/N/bin).</summary>
    private static string PsqlDirectory()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "psql")))
            ?? throw new InvalidOperationException("psql not found on PATH or under /usr/lib/postgresql/*/bin (install postgresql-client)");
    }
}

using System.Diagnostics;
using Bimtek.Testing.Postgres;
using Npgsql;

namespace Bimtek.Deploy.Tests;

/// <summary>
/// Point-in-time recovery as README "Backups and restore" documents it, on a real PostgreSQL cluster of its own (local
/// binaries, as the postgres user): WAL archived with compose.wal-archive.yaml's archive_command, a base backup taken with
/// deploy/backup/base-backup.sh, more rows written, and restore-base-backup.sh with a target time and the archive into a
/// new data directory. The restored cluster holds every row committed before the target and none committed after it,
/// also rows written after the base backup (they come from the archived WAL), and it is open for writes.
/// </summary>
public sealed class PointInTimeRecoveryTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_base_backup_and_the_archived_WAL_restore_to_a_target_time_with_rows_before_it_and_none_after()
    {
        using var timeout = new CancellationTokenSource(_timeout);
        var ct = timeout.Token;
        var work = Directory.CreateDirectory(Path.Combine("/tmp", "bimtek-pitr-" + Guid.NewGuid().ToString("N")[..12]));
        var archive = Directory.CreateDirectory(Path.Combine(work.FullName, "wal-archive"));
        var backups = Directory.CreateDirectory(Path.Combine(work.FullName, "backups"));
        try
        {
            await ChownToServerAsync(archive.FullName);
            await using var source = await FreshPostgresCluster.StartAsync();
            var admin = new NpgsqlConnectionStringBuilder(source.AdminConnectionString) { Pooling = false };

            // compose.wal-archive.yaml's settings, its archive folder replaced by this test's.
            var archiveCommand = ArchiveCommand().Replace("/wal-archive", archive.FullName, StringComparison.Ordinal);
            await ExecuteAsync(admin, "ALTER SYSTEM SET archive_mode = on", ct);
            await ExecuteAsync(admin, $"ALTER SYSTEM SET archive_command = '{archiveCommand.Replace("'", "''", StringComparison.Ordinal)}'", ct);
            await source.RestartAsync();
            await ExecuteAsync(admin, "CREATE TABLE pitr_rows (id INT PRIMARY KEY, phase TEXT NOT NULL)", ct);
            await InsertAsync(admin, 1, 100, "before the base backup", ct);

            var environment = new Dictionary<string, string>
            {
                ["BIMTEK_PG_EXEC"] = "",
                ["PATH"] = source.BinDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["PGHOST"] = admin.Host!,
                ["PGPORT"] = admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGUSER"] = admin.Username!,
            };
            var backupLog = await RunScriptAsync("base-backup.sh", [backups.FullName], environment, ct);
            Assert.Contains("base.tar.gz", backupLog);

            await InsertAsync(admin, 101, 200, "after the base backup, before the target", ct);
            // The target: the server's clock after those commits, before the next ones (a moment apart).
            var target = await ScalarAsync<string>(admin,
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'", ct);
            await Task.Delay(TimeSpan.FromMilliseconds(1100), ct);
            await InsertAsync(admin, 201, 300, "after the target", ct);
            // Close the WAL segment holding the last rows and wait until the archiver has copied it.
            var segment = await ScalarAsync<string>(admin, "SELECT pg_walfile_name(pg_switch_wal())", ct);
            var watch = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(archive.FullName, segment)))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"WAL segment {segment} not archived within 60 s: {string.Join(", ", archive.GetFiles().Select(f => f.Name))}");
                await Task.Delay(200, ct);
            }

            string restoreLog = "";
            await using var restored = await FreshPostgresCluster.StartFromAsync(async data =>
                restoreLog = await RunScriptAsync("restore-base-backup.sh", [Path.Combine(backups.FullName, "base.tar.gz"), data, target, archive.FullName], environment, ct));
            Assert.Contains($"recovering to {target}", restoreLog);
            var recovered = new NpgsqlConnectionStringBuilder(restored.AdminConnectionString) { Pooling = false };

            // The server accepts connections while it still replays the archive; it promotes itself once it reaches the target.
            var replaying = Stopwatch.StartNew();
            while (await ScalarAsync<bool>(recovered, "SELECT pg_is_in_recovery()", ct) && replaying.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(200, ct);
            }
            Assert.False(await ScalarAsync<bool>(recovered, "SELECT pg_is_in_recovery()", ct),
                $"the restored cluster should be promoted and open for writes within 90 s of accepting connections: {restoreLog}");
            Assert.Equal(100, await ScalarAsync<long>(recovered, "SELECT COUNT(*) FROM pitr_rows WHERE phase = 'before the base backup'", ct));
            Assert.Equal(100, await ScalarAsync<long>(recovered, "SELECT COUNT(*) FROM pitr_rows WHERE phase = 'after the base backup, before the target'", ct));
            Assert.Equal(0, await ScalarAsync<long>(recovered, "SELECT COUNT(*) FROM pitr_rows WHERE phase = 'after the target'", ct));
            await InsertAsync(recovered, 201, 201, "written after the restore", ct);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The archive_command compose.wal-archive.yaml gives PostgreSQL (the argument after <c>-c archive_command=</c>).</summary>
    private static string ArchiveCommand()
    {
        var line = File.ReadLines(RepositoryFiles.PathOf("deploy", "backup", "compose.wal-archive.yaml"))
            .Select(l => l.Trim()).Single(l => l.StartsWith("- archive_command=", StringComparison.Ordinal));
        return line["- archive_command=".Length..];
    }

    private static async Task ChownToServerAsync(string directory)
    {
        if (!FreshPostgresCluster.RunsAsServiceUser)
        {
            return;
        }
        using var chown = Process.Start("chown", ["postgres:", directory])!;
        await chown.WaitForExitAsync();
        Assert.Equal(0, chown.ExitCode);
    }

    private static async Task InsertAsync(NpgsqlConnectionStringBuilder connection, int from, int to, string phase, CancellationToken ct)
    {
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync(ct);
        for (var id = from; id <= to; id++)
        {
            // One transaction per row, as the services commit: every commit is its own WAL commit record.
            await using var command = new NpgsqlCommand("INSERT INTO pitr_rows (id, phase) VALUES (@id, @phase)", open);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("phase", phase);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder connection, string sql, CancellationToken ct)
    {
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnectionStringBuilder connection, string sql, CancellationToken ct)
    {
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, open);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<string> RunScriptAsync(string script, string[] arguments, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo("sh", [RepositoryFiles.PathOf("deploy", "backup", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var text = (await stdout + await stderr).TrimEnd();
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {text}");
        return text;
    }
}

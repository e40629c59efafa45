using Npgsql;

namespace Bimtek.Testing.Postgres;

/// <summary>
/// The PostgreSQL server shared by every test in the process. Tests get isolation from
/// <see cref="CreateDatabaseAsync"/>, not from separate servers, because starting a server costs seconds.
/// </summary>
public sealed class PostgresServer
{
    private const int MaxIdentifierLength = 63;
    private static readonly Lazy<Task<PostgresServer>> _shared = new(
        PostgresServerLauncher.LaunchAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly LocalPostgresCluster? _cluster;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    internal PostgresServer(string adminConnectionString, string source, LocalPostgresCluster? cluster)
    {
        AdminConnectionString = adminConnectionString;
        Source = source;
        _cluster = cluster;
    }

    /// <summary>A superuser connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>One of the <see cref="PostgresSource"/> values.</summary>
    public string Source { get; }

    /// <summary>Starts the shared server on first use; later calls return the same instance (or the same failure).</summary>
    public static Task<PostgresServer> GetAsync() => _shared.Value;

    /// <summary>Creates an empty database named <paramref name="namePrefix"/> plus a short unique suffix.</summary>
    /// <returns>A pooled connection string for the new database.</returns>
    public async Task<string> CreateDatabaseAsync(string namePrefix)
    {
        var name = UniqueDatabaseName(namePrefix);
        // Not pooled: an idle admin connection would go stale across StopAsync/StartAsync.
        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            Pooling = true,
            MaxPoolSize = 50,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }

    /// <summary>
    /// Stops the server, keeping its port and data (local binaries only). Idle pooled connections opened
    /// before the stop are dead afterwards; Npgsql finds that out on their next use.
    /// </summary>
    public Task StopAsync() => UnderLifecycleLockAsync(cluster => cluster.StopAsync());

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port with the same data.</summary>
    public Task StartAsync() => UnderLifecycleLockAsync(cluster => cluster.StartAsync());

    private static string UniqueDatabaseName(string namePrefix)
    {
        var suffix = "_" + Guid.NewGuid().ToString("N")[..12];
        var cleaned = new string(namePrefix.ToLowerInvariant()
            .Select(character => character is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? character : '_')
            .ToArray());
        // Identifiers must not start with a digit; an empty prefix still gets a readable name.
        if (cleaned.Length == 0 || char.IsAsciiDigit(cleaned[0]))
        {
            cleaned = "db_" + cleaned;
        }

        var room = MaxIdentifierLength - suffix.Length;
        return (cleaned.Length > room ? cleaned[..room] : cleaned) + suffix;
    }

    private async Task UnderLifecycleLockAsync(Func<LocalPostgresCluster, Task> action)
    {
        var cluster = _cluster ?? throw new NotSupportedException(
            $"Stopping and starting PostgreSQL is only supported for the '{PostgresSource.LocalBinaries}' source; this server came from '{Source}'.");
        await _lifecycle.WaitAsync();
        try
        {
            await action(cluster);
        }
        finally
        {
            _lifecycle.Release();
        }
    }
}

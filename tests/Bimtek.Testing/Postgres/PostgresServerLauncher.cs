using Npgsql;
using Testcontainers.PostgreSql;

namespace Bimtek.Testing.Postgres;

/// <summary>
/// Tries the sources in order (environment, Testcontainers, local binaries) and returns the first that works.
/// Failing to find any is an error, never a skip: a test run without a database would prove nothing.
/// <see cref="SourceVariable"/> = <c>testcontainers</c> or <c>local</c> takes only that source and fails when it
/// cannot start, so a CI step meant to exercise one path cannot pass on the other.
/// </summary>
internal static class PostgresServerLauncher
{
    public const string ConnectionStringVariable = "BIMTEK_TEST_POSTGRES";
    public const string DurableVariable = "BIMTEK_TEST_POSTGRES_DURABLE";
    public const string SourceVariable = "BIMTEK_TEST_POSTGRES_SOURCE";

    /// <summary><c>true</c>: a local server preloads <c>pg_stat_statements</c> (the bench's statement counts).</summary>
    public const string StatementsVariable = "BIMTEK_TEST_POSTGRES_STATEMENTS";
    private const string ContainerImage = "postgres:15";
    private static readonly TimeSpan _containerStartTimeout = TimeSpan.FromMinutes(3);

    public static async Task<PostgresServer> LaunchAsync()
    {
        var durable = string.Equals(Environment.GetEnvironmentVariable(DurableVariable), "true", StringComparison.OrdinalIgnoreCase);
        var tried = new List<string>();

        var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit connection string is a deliberate choice: if it is wrong, say so instead of falling back.
            await EnsureReachableAsync(fromEnvironment, $"the server named by {ConnectionStringVariable}");
            return Announce(new PostgresServer(fromEnvironment, PostgresSource.Environment, cluster: null), "from " + ConnectionStringVariable);
        }

        tried.Add($"{ConnectionStringVariable}: not set");

        var required = Environment.GetEnvironmentVariable(SourceVariable);
        var server = required switch
        {
            null or "" => await TryContainerAsync(durable, tried) ?? await TryLocalBinariesAsync(durable, tried),
            "testcontainers" => await TryContainerAsync(durable, tried),
            "local" => await TryLocalBinariesAsync(durable, tried),
            _ => throw new InvalidOperationException($"{SourceVariable}='{required}': expected 'testcontainers' or 'local'."),
        };
        return server ?? throw new InvalidOperationException(
            "No PostgreSQL server for tests" + (string.IsNullOrEmpty(required) ? "" : $" ({SourceVariable}={required})") +
            ". Tried, in order:\n  - " + string.Join("\n  - ", tried) +
            $"\nInstall PostgreSQL (Debian: apt-get install -y postgresql) or set {ConnectionStringVariable} to a connection string.");
    }

    private static async Task<PostgresServer?> TryContainerAsync(bool durable, List<string> tried)
    {
        var (answers, detail) = await DockerEngineProbe.ProbeAsync();
        if (!answers)
        {
            tried.Add("Testcontainers: " + detail);
            return null;
        }

        var builder = new PostgreSqlBuilder(ContainerImage).WithCommand("-c", "max_connections=400");
        if (durable)
        {
            // The module turns fsync and friends off by default; later -c settings win.
            builder = builder.WithCommand("-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on");
        }

        var container = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(_containerStartTimeout);
            await container.StartAsync(timeout.Token);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
            return Announce(new PostgresServer(container.GetConnectionString(), PostgresSource.Testcontainers, cluster: null), ContainerImage);
        }
        catch (Exception exception)
        {
            await DisposeQuietlyAsync(container);
            tried.Add($"Testcontainers ({detail}): starting {ContainerImage} failed: {exception.Message}");
            return null;
        }
    }

    // A container that failed to start may fail to dispose as well; the start failure is the one worth reporting.
    private static async Task DisposeQuietlyAsync(PostgreSqlContainer container)
    {
        try
        {
            await container.DisposeAsync();
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"[Bimtek.Testing] Could not remove the failed PostgreSQL container: {exception.Message}");
        }
    }

    private static async Task<PostgresServer?> TryLocalBinariesAsync(bool durable, List<string> tried)
    {
        var binDirectory = PostgresBinaries.FindBinDirectory();
        if (binDirectory is null)
        {
            tried.Add($"local binaries: no {PostgresBinaries.Describe()}");
            return null;
        }

        LocalPostgresCluster cluster;
        try
        {
            cluster = await LocalPostgresCluster.CreateAsync(binDirectory, durable);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            tried.Add($"local binaries in {binDirectory}: {exception.Message}");
            return null;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Destroy();
        return Announce(
            new PostgresServer(cluster.AdminConnectionString, PostgresSource.LocalBinaries, cluster),
            $"{binDirectory}, port {cluster.Port}, directory {cluster.RootDirectory}{(durable ? ", durable" : "")}");
    }

    private static PostgresServer Announce(PostgresServer server, string detail)
    {
        Console.Error.WriteLine($"[Bimtek.Testing] PostgreSQL source: {server.Source} ({detail})");
        return server;
    }

    private static async Task EnsureReachableAsync(string connectionString, string description)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or ArgumentException or TimeoutException)
        {
            throw new InvalidOperationException($"Could not connect to {description}: {exception.Message}", exception);
        }
    }
}

namespace Bimtek.Testing.Postgres;

/// <summary>
/// A second, empty PostgreSQL cluster of its own (local binaries only), e.g. the "new server" a restore drill
/// restores its backups into. Unlike <see cref="PostgresServer"/> it is not shared: disposing it stops the server
/// and deletes its directory.
/// </summary>
public sealed class FreshPostgresCluster : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;

    private FreshPostgresCluster(LocalPostgresCluster cluster) => _cluster = cluster;

    /// <summary>A superuser connection string to the new cluster's maintenance database.</summary>
    public string AdminConnectionString => _cluster.AdminConnectionString;

    /// <summary>The folder of the PostgreSQL tools the cluster runs from (psql, pg_dump, pg_restore, pg_basebackup …).</summary>
    public string BinDirectory => _cluster.BinDirectory;

    public int Port => _cluster.Port;

    /// <summary>Initialises and starts a new cluster on a free loopback port from the local PostgreSQL binaries.</summary>
    public static async Task<FreshPostgresCluster> StartAsync()
    {
        var binDirectory = PostgresBinaries.FindBinDirectory()
            ?? throw new InvalidOperationException($"A fresh PostgreSQL cluster needs the local binaries: none found ({PostgresBinaries.Describe()}).");
        return new FreshPostgresCluster(await LocalPostgresCluster.CreateAsync(binDirectory, durable: false));
    }

    /// <summary>
    /// Starts a cluster on a data directory <paramref name="prepare"/> fills (it gets the empty directory's path), e.g.
    /// by restoring a base backup into it, instead of an empty one from initdb.
    /// </summary>
    public static async Task<FreshPostgresCluster> StartFromAsync(Func<string, Task> prepare)
    {
        var binDirectory = PostgresBinaries.FindBinDirectory()
            ?? throw new InvalidOperationException($"A PostgreSQL cluster needs the local binaries: none found ({PostgresBinaries.Describe()}).");
        return new FreshPostgresCluster(await LocalPostgresCluster.CreateFromAsync(binDirectory, prepare));
    }

    /// <summary>
    /// The folder of the local server's client tools (psql, pg_dump, pg_restore, pg_basebackup), for tools run against
    /// any of the test servers: where initdb is found, or, when that is a folder of links to initdb and pg_ctl only,
    /// the folder initdb really lives in (Debian's /usr/lib/postgresql/N/bin).
    /// </summary>
    public static string? FindBinDirectory()
    {
        var directory = PostgresBinaries.FindBinDirectory();
        if (directory is null || File.Exists(Path.Combine(directory, "pg_dump")))
        {
            return directory;
        }
        var target = new FileInfo(Path.Combine(directory, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? directory : Path.GetDirectoryName(target.FullName);
    }

    /// <summary>Stops and starts the server on the same data directory and port (e.g. after <c>ALTER SYSTEM</c> of a setting that needs it).</summary>
    public async Task RestartAsync()
    {
        await _cluster.StopAsync();
        await _cluster.StartAsync();
    }

    /// <summary>True when the server runs as the <c>postgres</c> user (the tests run as root): files it must write need that owner.</summary>
    public static bool RunsAsServiceUser => Environment.IsPrivilegedProcess;

    public ValueTask DisposeAsync()
    {
        _cluster.Destroy();
        return ValueTask.CompletedTask;
    }
}

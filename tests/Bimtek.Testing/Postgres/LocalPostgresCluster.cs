using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Bimtek.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster made with the local <c>initdb</c>/<c>pg_ctl</c>, listening on a free loopback port.
/// PostgreSQL refuses to run as root, so when this process is root every command runs as the <c>postgres</c> user,
/// which then has to own the whole directory.
/// </summary>
internal sealed class LocalPostgresCluster
{
    private const string ServiceUser = "postgres";
    private const int PortAttempts = 3;
    private static readonly TimeSpan _commandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _binDirectory;
    private readonly string _rootDirectory;
    private readonly bool _durable;
    private readonly bool _runAsServiceUser = Environment.IsPrivilegedProcess;

    private LocalPostgresCluster(string binDirectory, string rootDirectory, bool durable)
    {
        _binDirectory = binDirectory;
        _rootDirectory = rootDirectory;
        _durable = durable;
    }

    public int Port { get; private set; }

    public string BinDirectory => _binDirectory;

    public string RootDirectory => _rootDirectory;

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = ServiceUser,
        Database = "postgres",
    }.ConnectionString;

    private string DataDirectory => Path.Combine(_rootDirectory, "data");

    private string SocketDirectory => Path.Combine(_rootDirectory, "sock");

    private string LogFile => Path.Combine(_rootDirectory, "postgres.log");

    /// <summary>Creates and starts a cluster; on any failure removes what was made before rethrowing.</summary>
    public static async Task<LocalPostgresCluster> CreateAsync(string binDirectory, bool durable)
    {
        var cluster = new LocalPostgresCluster(binDirectory, CreateRootDirectory(), durable);
        ClusterWatchdog.Start(cluster.RootDirectory, cluster.ToolCommand("pg_ctl"));
        try
        {
            await cluster.InitializeAsync();
            await cluster.StartOnFreePortAsync();
            return cluster;
        }
        catch
        {
            cluster.Destroy();
            throw;
        }
    }

    /// <summary>
    /// Starts a cluster on a data directory that <paramref name="prepare"/> fills (e.g. from a base backup) instead of
    /// initdb; on any failure removes what was made before rethrowing.
    /// </summary>
    public static async Task<LocalPostgresCluster> CreateFromAsync(string binDirectory, Func<string, Task> prepare)
    {
        var cluster = new LocalPostgresCluster(binDirectory, CreateRootDirectory(), durable: false);
        ClusterWatchdog.Start(cluster.RootDirectory, cluster.ToolCommand("pg_ctl"));
        try
        {
            Directory.CreateDirectory(cluster.DataDirectory);
            await prepare(cluster.DataDirectory);
            if (cluster._runAsServiceUser)
            {
                var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{ServiceUser}:", cluster.RootDirectory], _commandTimeout);
                if (!chown.Succeeded)
                {
                    throw new InvalidOperationException($"chown of the restored data directory failed: {chown.Output}");
                }
            }
            if (!OperatingSystem.IsWindows())
            {
                // PostgreSQL refuses a data directory others may read.
                File.SetUnixFileMode(cluster.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            await cluster.StartOnFreePortAsync();
            return cluster;
        }
        catch
        {
            cluster.Destroy();
            throw;
        }
    }

    public async Task StartAsync()
    {
        var result = await PgCtlAsync(
            "start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile, "-o", ServerOptions());
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"pg_ctl start failed (exit {result.ExitCode}): {result.Output}\nServer log tail:\n{LogTail()}");
        }
    }

    public async Task StopAsync()
    {
        var result = await PgCtlAsync("stop", "-w", "-t", "60", "-m", "fast", "-D", DataDirectory);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"pg_ctl stop failed (exit {result.ExitCode}): {result.Output}");
        }
    }

    /// <summary>Best effort: stops the server if it is running and deletes the directory. Never throws.</summary>
    public void Destroy()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                PgCtlAsync("stop", "-w", "-t", "30", "-m", "fast", "-D", DataDirectory).GetAwaiter().GetResult();
            }
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"[Bimtek.Testing] Could not stop PostgreSQL in {_rootDirectory}: {exception.Message}");
        }

        try
        {
            Directory.Delete(_rootDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"[Bimtek.Testing] Could not delete {_rootDirectory}: {exception.Message}");
        }
    }

    private static string CreateRootDirectory()
    {
        // As root, TMPDIR may point somewhere the postgres user cannot traverse; /tmp is always reachable.
        var root = Environment.IsPrivilegedProcess
            ? Directory.CreateDirectory(Path.Combine("/tmp", "bimtek-pg-" + Guid.NewGuid().ToString("N")[..12])).FullName
            : Directory.CreateTempSubdirectory("bimtek-pg-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "sock"));
        return root;
    }

    private async Task InitializeAsync()
    {
        if (_runAsServiceUser)
        {
            var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{ServiceUser}:", _rootDirectory], _commandTimeout);
            if (!chown.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Running as root, so PostgreSQL must run as the '{ServiceUser}' user, but chown failed: {chown.Output}");
            }
        }

        // Locale C keeps collation identical on every machine and does not depend on which locales are generated.
        List<string> arguments = ["-D", DataDirectory, "-A", "trust", "-U", ServiceUser, "-E", "UTF8", "--locale=C"];
        if (!_durable)
        {
            arguments.Add("--no-sync");
        }

        var result = await RunToolAsync("initdb", arguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"initdb failed (exit {result.ExitCode}): {result.Output}");
        }
    }

    // Another process can take the port between probing and binding; a fresh port usually fixes that.
    private async Task StartOnFreePortAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FindFreePort();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < PortAttempts && LogTail().Contains("Address already in use"))
            {
            }
        }
    }

    private string ServerOptions()
    {
        var options = $"-p {Port} -k '{SocketDirectory}' -c listen_addresses={IPAddress.Loopback} -c max_connections=400";
        // Tests throw their data away, so durability only costs time; benchmarks ask for it back.
        return _durable ? options : options + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }

    private Task<ProcessResult> PgCtlAsync(params string[] arguments) => RunToolAsync("pg_ctl", arguments);

    private Task<ProcessResult> RunToolAsync(string tool, IEnumerable<string> arguments)
    {
        var command = ToolCommand(tool);
        return ProcessRunner.RunAsync(command[0], [.. command.Skip(1), .. arguments], _commandTimeout);
    }

    private List<string> ToolCommand(string tool)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return _runAsServiceUser ? ["runuser", "-u", ServiceUser, "--", executable] : [executable];
    }

    private string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

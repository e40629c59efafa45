using System.Globalization;
using System.Net.Http.Json;
using Bimtek.ServiceDefaults.Health;
using Npgsql;

namespace Bimtek.Load.Measurement;

/// <summary>
/// What a phase cost, counted rather than timed (so it holds on a busy machine): SQL statements and
/// commits per service database (PostgreSQL's <c>pg_stat_statements</c> and <c>pg_stat_database</c>),
/// and CPU time per process (<c>/proc/&lt;pid&gt;/stat</c> utime + stime, PostgreSQL's backends
/// included through the postmaster's reaped-children times), and each .NET process's allocated bytes and garbage
/// collections (its <c>/debug/runtime</c>, <see cref="RuntimeCounters"/>). Take a <see cref="Snapshot"/> before and
/// after a phase and divide the difference by the work done.
/// </summary>
public sealed class CostMeter
{
    /// <summary>Linux reports CPU times in clock ticks of USER_HZ, which is 100 on every kernel .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly string _adminConnectionString;
    private readonly IReadOnlyDictionary<string, string> _databases;
    private readonly Func<IReadOnlyDictionary<string, (int Pid, Uri RestAddress)>> _processes;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private int _postmaster;

    private CostMeter(string adminConnectionString, IReadOnlyDictionary<string, string> databases, Func<IReadOnlyDictionary<string, (int Pid, Uri RestAddress)>> processes)
    {
        _adminConnectionString = adminConnectionString;
        _databases = databases;
        _processes = processes;
    }

    /// <summary>False when the server was started without <c>pg_stat_statements</c> (statement counts are then n/a).</summary>
    public bool CountsStatements { get; private set; }

    /// <param name="connectionStrings">Each service's connection string by service name (the database names are taken from them).</param>
    /// <param name="processes">The suite's processes by name → pid and REST address, read at each snapshot (a restarted process has a new pid).</param>
    public static async Task<CostMeter> CreateAsync(string adminConnectionString, IReadOnlyDictionary<string, string> connectionStrings,
        Func<IReadOnlyDictionary<string, (int Pid, Uri RestAddress)>> processes)
    {
        var databases = connectionStrings.ToDictionary(
            c => new NpgsqlConnectionStringBuilder(c.Value).Database!, c => c.Key, StringComparer.Ordinal);
        var meter = new CostMeter(adminConnectionString, databases, processes);
        await using var connection = await meter.OpenAsync();
        try
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync();
            await using var probe = new NpgsqlCommand("SELECT count(*) FROM pg_stat_statements", connection);
            await probe.ExecuteScalarAsync();
            meter.CountsStatements = true;
        }
        catch (PostgresException)
        {
            // Not preloaded (a server not started by the bench): CPU and commits are still counted.
        }
        await using var backend = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var pid = Convert.ToInt32(await backend.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        meter._postmaster = Machine.ParentOf(pid);
        return meter;
    }

    public sealed record Snapshot(
        IReadOnlyDictionary<string, double> CpuSeconds,
        IReadOnlyDictionary<(string Service, string Query), long> Statements,
        IReadOnlyDictionary<string, long> Commits,
        IReadOnlyDictionary<string, RuntimeCounterValues> Runtime);

    public async Task<Snapshot> SnapshotAsync()
    {
        var cpu = new Dictionary<string, double>(StringComparer.Ordinal);
        var runtime = new Dictionary<string, RuntimeCounterValues>(StringComparer.Ordinal);
        foreach (var (name, (pid, rest)) in _processes())
        {
            cpu[name] = CpuTicks(pid, children: false) / TicksPerSecond;
            if (await _http.GetFromJsonAsync<RuntimeCounterValues>(new Uri(rest, RuntimeCounters.Path)) is { } counters)
            {
                runtime[name] = counters;
            }
        }
        runtime["bench client"] = RuntimeCounters.Read();
        // Backends come and go: the postmaster's cutime/cstime hold the CPU of those already gone.
        cpu["postgres"] = (CpuTicks(_postmaster, children: true)
            + Machine.Descendants(_postmaster).Where(p => p.Pid != _postmaster).Sum(p => CpuTicks(p.Pid, children: false))) / TicksPerSecond;
        cpu["bench client"] = CpuTicks(Environment.ProcessId, children: false) / TicksPerSecond;

        var statements = new Dictionary<(string, string), long>();
        var commits = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await OpenAsync();
        if (CountsStatements)
        {
            await using var command = new NpgsqlCommand(
                "SELECT d.datname, s.query, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid GROUP BY 1, 2", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (_databases.TryGetValue(reader.GetString(0), out var service))
                {
                    var key = (service, Normalise(reader.GetString(1)));
                    statements[key] = statements.GetValueOrDefault(key) + reader.GetInt64(2);
                }
            }
        }
        await using (var command = new NpgsqlCommand("SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL", connection))
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (_databases.TryGetValue(reader.GetString(0), out var service))
                {
                    commits[service] = reader.GetInt64(1);
                }
            }
        }
        return new Snapshot(cpu, statements, commits, runtime);
    }

    /// <summary>Statement texts are folded to their first 140 characters on one line (enough to recognise them in a table).</summary>
    private static string Normalise(string query)
    {
        var line = string.Join(' ', query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 140 ? line : line[..140] + "…";
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        // Not pooled: pgbench and the suite restart nothing here, but a stale pooled admin connection is not worth the risk.
        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>utime + stime (and with <paramref name="children"/> cutime + cstime) of a process in clock ticks; 0 when it is gone.</summary>
    private static long CpuTicks(int pid, bool children)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        // pid (comm) state ppid … : fields after the last ')' start at field 3; utime is field 14.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return Field(14) + Field(15) + (children ? Field(16) + Field(17) : 0);
    }
}

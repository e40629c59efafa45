using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Bimtek.Load.Measurement;

/// <summary>
/// PostgreSQL's own commit rate on the suite's server: <c>pgbench -i</c> on a scratch database, then
/// <c>pgbench -N</c> (simple updates, one commit per transaction) with a given client count.
/// </summary>
public static partial class Pgbench
{
    public const string DefaultBinary = "/usr/lib/postgresql/15/bin/pgbench";

    public sealed record Result(int Clients, double Tps, double LatencyMs, string CommandLine);

    public static string Binary()
    {
        if (File.Exists(DefaultBinary))
        {
            return DefaultBinary;
        }
        var candidate = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateFiles("/usr/lib/postgresql", "pgbench", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return candidate ?? "pgbench";
    }

    public static async Task InitialiseAsync(string connectionString)
    {
        var (output, code) = await RunAsync(connectionString, ["-i", "-q", "-s", "1"]);
        if (code != 0)
        {
            throw new InvalidOperationException($"pgbench -i failed ({code}): {output}");
        }
    }

    public static async Task<Result> RunNAsync(string connectionString, int clients, TimeSpan duration)
    {
        var threads = Math.Max(1, Math.Min(clients, Environment.ProcessorCount));
        string[] arguments = ["-N", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", threads.ToString(CultureInfo.InvariantCulture),
            "-T", ((int)Math.Max(1, duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)];
        var (output, code) = await RunAsync(connectionString, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"pgbench -N failed ({code}): {output}");
        }
        var tps = Tps().Match(output);
        var latency = Latency().Match(output);
        return new Result(clients,
            tps.Success ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            "pgbench " + string.Join(' ', arguments) + " <scratch db>");
    }

    private static async Task<(string Output, int ExitCode)> RunAsync(string connectionString, IEnumerable<string> arguments)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Binary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(settings.Database!);
        start.Environment["PGHOST"] = settings.Host;
        start.Environment["PGPORT"] = settings.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = settings.Username;
        start.Environment["PGPASSWORD"] = settings.Password ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await stdout + await stderr, process.ExitCode);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex Latency();
}

using System.Globalization;

namespace Bimtek.Audit;

/// <summary>
/// The command line: connection strings per service (read-only roles recommended), the gateway with an
/// operator API key, optional programme ids. Prints what it checked and every disagreement; exit code 0 when
/// the services agree, 1 when something disagrees, 2 when the audit could not run.
/// </summary>
public static class AuditCommand
{
    public const string Usage = """
        Bimtek audit: the suite's cross-service invariants, read-only.
          dotnet run --project services/Bimtek.Audit -- --gateway URL [--programme ID]... [--stuck-after 00:15:00]
            --production CONN --materials CONN [--participants CONN] [--distribution CONN]
        Environment instead of options: BIMTEK_AUDIT_GATEWAY, BIMTEK_AUDIT_API_KEY (operator API key, sent as X-Api-Key),
          BIMTEK_AUDIT_PRODUCTION, BIMTEK_AUDIT_MATERIALS, … (Npgsql connection strings).
        Exit code: 0 every service agrees, 1 something disagrees (listed), 2 the audit could not run.

        After a restore from per-database dumps (README, Backups and restore), re-drive the consumptions materials lost:
          dotnet run --project services/Bimtek.Audit -- repair --gateway URL --materials-grpc URL --client-secret SECRET [--client-id production]
            [--programme ID]... --production CONN --materials CONN
        (materials' own idempotent ConsumeForOutput, an internal RPC the gateway does not route, called at materials' gRPC
        address inside the suite's network (compose: http://materials:5000) as production's service client, whose token
        the gateway issues (secret PRODUCTION_CLIENT_SECRET of deploy/.env; BIMTEK_AUDIT_CLIENT_SECRET instead of the
        option); safe to repeat).
        Exit code: 0 nothing left to repair, 1 a consumption was refused (listed), 2 the repair could not run.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct = default)
    {
        try
        {
            if (args is ["repair", .. var repairArgs])
            {
                return await RepairAsync(repairArgs, output, ct);
            }
            var options = Parse(args);
            if (options is null)
            {
                await output.WriteLineAsync(Usage);
                return 2;
            }
            using var gateway = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(30) };
            gateway.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
            var result = await new SuiteAuditor(new AuditReader(options.ConnectionStrings, gateway), options.StuckAfter)
                .RunAsync(options.Programmes, ct);
            await WriteAsync(result, output);
            return result.ExitCode;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await output.WriteLineAsync($"AUDIT FAILED TO RUN: {ex.GetType().Name}: {ex.Message}");
            return 2;
        }
    }

    public static async Task WriteAsync(AuditResult result, TextWriter output)
    {
        foreach (var item in result.Checked)
        {
            await output.WriteLineAsync($"checked  {item}");
        }
        foreach (var problem in result.Problems)
        {
            await output.WriteLineAsync($"PROBLEM  {problem}");
        }
        await output.WriteLineAsync(result.Problems.Count == 0
            ? "OK: every service agrees."
            : $"{result.Problems.Count} problems: the services disagree (repairs: services/Bimtek.Audit/README.md).");
    }

    private static async Task<int> RepairAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var programmes = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--programme")
            {
                programmes.Add(args[i + 1]);
            }
            else
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }
        }
        string? Value(string name) => values.GetValueOrDefault(name)
            ?? Environment.GetEnvironmentVariable("BIMTEK_AUDIT_" + name.Replace('-', '_').ToUpperInvariant());
        var connections = new[] { "production", "materials" }.Where(s => Value(s) is { Length: > 0 }).ToDictionary(s => s, s => Value(s)!);
        if (args.Length % 2 != 0 || Value("gateway") is not { } gateway || Value("materials-grpc") is not { } materialsGrpc
            || Value("client-secret") is not { } secret || connections.Count != 2)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }
        var token = await ConsumptionRepair.TokenAsync(new Uri(gateway), Value("client-id") ?? "production", secret, ct);
        using var channel = ConsumptionRepair.Channel(new Uri(materialsGrpc));
        var repair = new ConsumptionRepair(connections, new Materials.V1.MaterialsInternalService.MaterialsInternalServiceClient(channel), token);
        var outcomes = await repair.RunAsync(programmes, ct);
        foreach (var outcome in outcomes)
        {
            await output.WriteLineAsync(outcome.ToString());
        }
        var failed = outcomes.Count(o => o.Error is not null);
        await output.WriteLineAsync(outcomes.Count == 0
            ? "OK: every RECORDED report has its consumption; nothing to repair."
            : $"{outcomes.Count - failed} consumptions re-driven, {failed} refused. Run the audit again.");
        return failed == 0 ? 0 : 1;
    }

    private sealed record Options(Uri Gateway, string ApiKey, IReadOnlyDictionary<string, string> ConnectionStrings, IReadOnlyList<string> Programmes, TimeSpan StuckAfter);

    private static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var programmes = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--help" or "-h" || !args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }
            var name = args[i][2..];
            if (name == "programme")
            {
                programmes.Add(args[++i]);
            }
            else
            {
                values[name] = args[++i];
            }
        }
        string? Value(string name) => values.GetValueOrDefault(name)
            ?? Environment.GetEnvironmentVariable("BIMTEK_AUDIT_" + name.Replace('-', '_').ToUpperInvariant());

        var connections = new Dictionary<string, string>();
        foreach (var service in AuditReader.OutboxServices)
        {
            if (Value(service) is { Length: > 0 } connection)
            {
                connections[service] = connection;
            }
        }
        var gateway = Value("gateway");
        var apiKey = Value("api-key");
        if (gateway is null || apiKey is null || !connections.ContainsKey("production") || !connections.ContainsKey("materials"))
        {
            return null;
        }
        var stuckAfter = Value("stuck-after") is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : TimeSpan.FromMinutes(15);
        return new Options(new Uri(gateway), apiKey, connections, programmes, stuckAfter);
    }
}

using Bimtek.Load.Commands;

namespace Bimtek.Load;

/// <summary>
/// Load generator and benchmarks of the suite (issue 10):
/// <code>
/// dotnet run -c Release --project tests/Bimtek.Load -- load [--gateway URL --api-key KEY] --duration 60s (--rate N | --concurrency N) --programmes P --trainees T [--ack-file PATH]
/// dotnet run -c Release --project tests/Bimtek.Load -- bench [--quick] [--no-apphost] [--output BENCHMARKS.md]
/// dotnet run -c Release --project tests/Bimtek.Load -- bench retention [--quick] [--reports 1000000]
/// dotnet run -c Release --project tests/Bimtek.Load -- bench soak [--duration 60m] [--rate 30] [--sample 60s]
/// </code>
/// Without --gateway both start a local suite on PostgreSQL (durable settings: fsync on) and stop it afterwards.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Arguments arguments;
        try
        {
            if (args is ["bench", "retention", .. var rest])
            {
                return await RetentionBench.RunAsync(new Arguments(["bench-retention", .. rest]));
            }
            if (args is ["bench", "soak", .. var soak])
            {
                return await SoakBench.RunAsync(new Arguments(["bench-soak", .. soak]));
            }
            arguments = new Arguments(args);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return Usage();
        }
        return arguments.Command switch
        {
            "load" => await LoadCommand.RunAsync(arguments),
            "bench" => await BenchCommand.RunAsync(arguments, args),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage:
              load  [--gateway URL --api-key KEY] [--duration 60s] [--rate N | --concurrency N] [--programmes P] [--trainees T] [--ack-file PATH]
                    without --gateway: starts a local suite on PostgreSQL
              bench [--quick] [--no-apphost] [--output PATH]   starts a local suite on PostgreSQL and writes BENCHMARKS.md
              bench --b1-only [--quick]   only B1 (the read three ways), printed: for profiling the read path
              bench retention [--quick] [--reports N] [--duration 30s] [--concurrency 8]
                    the rows of N (1 million) old reports, the services' retention job against them: table sizes, write rate
              bench soak [--duration 60m] [--rate 30] [--sample 60s] [--programmes 4] [--trainees 80] [--output soak.md]
                    a steady mixed load for an hour: memory, connections, sockets and table sizes every sample
            """);
        return 2;
    }
}

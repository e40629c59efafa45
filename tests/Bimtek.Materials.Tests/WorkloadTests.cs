using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Xunit.Abstractions;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

/// <summary>
/// A concurrent random workload on PostgreSQL: receipts, transfers both ways, kit plans and
/// dispatches, consumption, returns and adjustments from 8 workers. Runs 12 s in the normal test
/// run; the full benchmark form is
/// <c>BIMTEK_MATERIALS_WORKLOAD_SECONDS=120 dotnet test tests/Bimtek.Materials.Tests --filter Workload --logger "console;verbosity=detailed"</c>.
/// The only refusal allowed is FAILED_PRECONDITION for short stock; it ends with every balance
/// equal to its ledger sum and never negative.
/// </summary>
public sealed class WorkloadTests(ITestOutputHelper output)
{
    private const int Workers = 8;

    [Fact]
    public async Task Workload_random_concurrent_movements_keep_balances_equal_to_the_ledger()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("BIMTEK_MATERIALS_WORKLOAD_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 12;
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Postgres, "workload");
        var ids = new List<string>();
        foreach (var code in new[] { "WL-FAB", "WL-COT", "WL-LOOP", "WL-THR" })
        {
            ids.Add((await materials.CreateMaterialAsync(code)).MaterialId);
        }
        var product = await materials.CreateProductAsync("WL-MASK", (ids[0], 3, 100), (ids[1], 6, 100), (ids[2], 2, 0), (ids[3], 5, 50));
        var sources = new[] { ProvincialWarehouseId, DistrictOfficeId };
        foreach (var source in sources)
        {
            await materials.ReceiveAsync(source, "WL-START", ids.Select(id => (id, 20_000L)).ToArray());
        }
        var programme = NewId();
        var trainees = Enumerable.Range(0, 6).Select(_ => NewId()).ToArray();
        var start = await materials.DispatchAsync((await materials.PlanAsync(programme, product.ProductId, DistrictOfficeId,
            trainees.Select(t => (t, 20)).ToArray())).KitPlanId);
        var homes = start.Kits.ToDictionary(k => k.TraineeId, k => k.HomeLocationId);

        var counts = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var stopwatch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);

        async Task WorkerAsync(int worker)
        {
            var random = new Random(1000 + worker);
            while (stopwatch.Elapsed < deadline)
            {
                var op = random.Next(7);
                try
                {
                    Task call = op switch
                    {
                        0 => materials.ReceiveAsync(sources[random.Next(2)], $"WL-{worker}", Pick(random, ids, 1, 500)),
                        1 => materials.TransferAsync(ProvincialWarehouseId, DistrictOfficeId, Pick(random, ids, 1, 800)),
                        2 => materials.TransferAsync(DistrictOfficeId, ProvincialWarehouseId, Pick(random, ids, 1, 800)),
                        3 => PlanAndDispatchAsync(random),
                        4 => materials.ConsumeAsync(NewId(), trainees[random.Next(trainees.Length)], programme, product.ProductId, random.Next(1, 6)),
                        5 => ReturnAsync(random),
                        _ => materials.Operator.AdjustStockAsync(new AdjustStockRequest
                        {
                            RequestId = NewId(),
                            LocationId = random.Next(2) == 0 ? sources[random.Next(2)] : homes[trainees[random.Next(trainees.Length)]],
                            MaterialId = ids[random.Next(ids.Count)],
                            QuantityDelta = random.Next(2) == 0 ? random.Next(1, 50) : -random.Next(1, 50),
                            Reason = "workload count",
                        }).ResponseAsync,
                    };
                    await call;
                    counts.AddOrUpdate($"op{op}-ok", 1, (_, n) => n + 1);
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.FailedPrecondition && RpcAssert.Reason(error) == "INSUFFICIENT_STOCK")
                {
                    counts.AddOrUpdate($"op{op}-short", 1, (_, n) => n + 1);
                }
                catch (RpcException error)
                {
                    failures.Enqueue($"op{op}: {error.StatusCode} {error.Status.Detail}");
                }
            }
        }

        async Task<KitPlan> PlanAndDispatchAsync(Random random)
        {
            var source = sources[random.Next(2)];
            var picked = trainees.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(t => (t, random.Next(1, 4))).ToArray();
            var plan = await materials.PlanAsync(programme, product.ProductId, source, picked);
            return await materials.DispatchAsync(plan.KitPlanId);
        }

        async Task<StockMovement> ReturnAsync(Random random)
        {
            var request = new ReturnStockRequest
            {
                RequestId = NewId(),
                FromLocationId = homes[trainees[random.Next(trainees.Length)]],
                ToLocationId = sources[random.Next(2)],
                ProgrammeId = programme,
            };
            request.Lines.Add(Pick(random, ids, 1, 30).Select(l => new MaterialQuantity { MaterialId = l.MaterialId, Quantity = l.Quantity }));
            return await materials.Operator.ReturnStockAsync(request);
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkerAsync(w))));
        stopwatch.Stop();

        var total = counts.Values.Sum();
        var problems = await materials.CheckLedgerAsync();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"materials workload: {seconds} s, {Workers} workers, {total} operations, {total / stopwatch.Elapsed.TotalSeconds:F1} ops/s, " +
            $"{counts.Where(c => c.Key.EndsWith("-short", StringComparison.Ordinal)).Sum(c => c.Value)} refused for short stock, " +
            $"{failures.Count} other errors, ledger check: {(problems.Count == 0 ? "balances = ledger sum, none negative" : string.Join("; ", problems.Take(5)))}");
        output.WriteLine(summary);
        output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
        Console.WriteLine(summary);

        Assert.Empty(failures);
        Assert.Empty(problems);
        Assert.True(counts.Where(c => c.Key.EndsWith("-ok", StringComparison.Ordinal)).Sum(c => c.Value) > Workers);
    }

    private static (string MaterialId, long Quantity)[] Pick(Random random, List<string> ids, int min, int max) =>
        ids.OrderBy(_ => random.Next()).Take(random.Next(1, ids.Count + 1)).Select(id => (id, (long)random.Next(min, max))).ToArray();
}

using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

/// <summary>
/// Property-style: random movement sequences from a fixed seed, checked against a plain model of
/// the balances. The service must accept exactly the movements the model can afford, and after
/// every step batch its balances must equal the model, the ledger sum and the lot sums.
/// </summary>
public sealed class PropertyTests
{
    private const int Steps = 240;

    [Theory, BothDatabases]
    public async Task Random_movement_sequences_keep_balances_equal_to_the_ledger_and_never_negative(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "property");
        var random = new Random(20200518);
        var ids = new List<string>();
        foreach (var code in new[] { "PR-FAB", "PR-LOOP", "PR-EXTRA" })
        {
            ids.Add((await materials.CreateMaterialAsync(code)).MaterialId);
        }
        var bom = new Dictionary<string, long> { [ids[0]] = 3, [ids[1]] = 1 };
        var product = await materials.CreateProductAsync("PR-PROD", (ids[0], 3, 0), (ids[1], 1, 0));
        var model = new Dictionary<(string Location, string Material), long>();
        long Get(string location, string material) => model.GetValueOrDefault((location, material));
        void Change(string location, string material, long delta) => model[(location, material)] = Get(location, material) + delta;

        // Two trainee homes, created by a first kit (3 units each: 9 fabric, 3 loops).
        await materials.ReceiveAsync(DistrictOfficeId, "PR-0", (ids[0], 18), (ids[1], 6));
        var programme = NewId();
        var trainees = new[] { NewId(), NewId() };
        var plan = await materials.DispatchAsync((await materials.PlanAsync(programme, product.ProductId, DistrictOfficeId, (trainees[0], 3), (trainees[1], 3))).KitPlanId);
        var homes = plan.Kits.Select(k => k.HomeLocationId).ToArray();
        foreach (var home in homes)
        {
            Change(home, ids[0], 9);
            Change(home, ids[1], 3);
        }
        var stores = new[] { ProvincialWarehouseId, DistrictOfficeId };
        var everywhere = stores.Concat(homes).ToArray();
        var accepted = 0;

        for (var step = 1; step <= Steps; step++)
        {
            var op = random.Next(5);
            var expectOk = true;
            Func<Task> call;
            Action apply;
            switch (op)
            {
                case 0:
                    {
                        var at = stores[random.Next(2)];
                        var material = ids[random.Next(ids.Count)];
                        var quantity = (long)random.Next(1, 60);
                        call = () => materials.ReceiveAsync(at, $"PR-{step}", (material, quantity));
                        apply = () => Change(at, material, quantity);
                        break;
                    }
                case 1:
                    {
                        var from = stores[random.Next(2)];
                        var to = everywhere.Where(l => l != from).ElementAt(random.Next(everywhere.Length - 1));
                        var lines = ids.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(m => (m, (long)random.Next(1, 40))).ToArray();
                        expectOk = lines.All(l => Get(from, l.m) >= l.Item2);
                        call = () => materials.TransferAsync(from, to, lines);
                        apply = () =>
                        {
                            foreach (var (m, q) in lines)
                            {
                                Change(from, m, -q);
                                Change(to, m, q);
                            }
                        };
                        break;
                    }
                case 2:
                    {
                        var home = homes[random.Next(2)];
                        var to = stores[random.Next(2)];
                        var material = ids[random.Next(ids.Count)];
                        var quantity = (long)random.Next(1, 20);
                        expectOk = Get(home, material) >= quantity;
                        call = () => materials.Operator.ReturnStockAsync(new ReturnStockRequest
                        {
                            RequestId = NewId(),
                            FromLocationId = home,
                            ToLocationId = to,
                            Lines = { new MaterialQuantity { MaterialId = material, Quantity = quantity } },
                        }).ResponseAsync;
                        apply = () =>
                        {
                            Change(home, material, -quantity);
                            Change(to, material, quantity);
                        };
                        break;
                    }
                case 3:
                    {
                        var at = everywhere[random.Next(everywhere.Length)];
                        var material = ids[random.Next(ids.Count)];
                        var delta = random.Next(2) == 0 ? random.Next(1, 30) : -random.Next(1, 30);
                        expectOk = delta > 0 || Get(at, material) >= -delta;
                        call = () => materials.Operator.AdjustStockAsync(new AdjustStockRequest
                        {
                            RequestId = NewId(),
                            LocationId = at,
                            MaterialId = material,
                            QuantityDelta = delta,
                            Reason = "property step",
                        }).ResponseAsync;
                        apply = () => Change(at, material, delta);
                        break;
                    }
                default:
                    {
                        var t = random.Next(2);
                        var units = random.Next(1, 6);
                        expectOk = bom.All(b => Get(homes[t], b.Key) >= b.Value * units);
                        call = () => materials.ConsumeAsync(NewId(), trainees[t], programme, product.ProductId, units);
                        apply = () =>
                        {
                            foreach (var (m, q) in bom)
                            {
                                Change(homes[t], m, -q * units);
                            }
                        };
                        break;
                    }
            }

            if (expectOk)
            {
                await call();
                apply();
                accepted++;
            }
            else
            {
                var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, call);
                Assert.Equal("INSUFFICIENT_STOCK", RpcAssert.Reason(error));
            }

            if (step % 40 == 0 || step == Steps)
            {
                foreach (var location in everywhere)
                {
                    var reported = (await materials.Operator.ListBalancesAsync(new ListBalancesRequest { LocationId = location, IncludeZero = true, PageSize = 200 }))
                        .Balances.ToDictionary(b => b.MaterialId, b => b.Quantity);
                    foreach (var material in ids)
                    {
                        Assert.True(Get(location, material) >= 0);
                        Assert.Equal(Get(location, material), reported.GetValueOrDefault(material));
                    }
                }
                await materials.AssertLedgerConsistentAsync();
            }
        }
        Assert.InRange(accepted, Steps / 3, Steps); // the sequence exercises both outcomes
        Assert.True(accepted < Steps);
    }

    [Fact]
    public void Fifo_takes_oldest_lots_first_and_never_more_than_held()
    {
        var random = new Random(42);
        for (var i = 0; i < 5_000; i++)
        {
            var holdings = Enumerable.Range(0, random.Next(0, 6)).Select(n => new LotHolding($"lot{n}", random.Next(0, 50))).ToList();
            var held = holdings.Sum(h => h.Quantity);
            var quantity = random.Next(1, 200);
            var pieces = Fifo.Allocate(holdings, quantity);
            if (quantity > held)
            {
                Assert.Null(pieces);
                continue;
            }
            Assert.NotNull(pieces);
            Assert.Equal(quantity, pieces.Sum(p => p.Quantity));
            Assert.All(pieces, p => Assert.True(p.Quantity > 0 && p.Quantity <= holdings.Single(h => h.LotId == p.LotId).Quantity));
            // Every lot before the last one used is emptied: first-in first-out.
            var lastIndex = holdings.FindIndex(h => h.LotId == pieces[^1].LotId);
            Assert.Equal(holdings.Take(lastIndex).Sum(h => h.Quantity), pieces.Take(pieces.Count - 1).Sum(p => p.Quantity));
        }
    }

    [Fact]
    public void Kit_quantities_round_up_to_the_smallest_integer_covering_bom_times_quota_with_waste()
    {
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var line = new BomLineSpec("m", random.Next(1, 100_000), random.Next(0, 1001));
            var quota = random.Next(1, 100_001);
            var kit = StockMath.KitQuantity(line, quota);
            var exact = (Int128)line.QuantityPerUnit * quota * (1000 + line.WastePerMille);
            Assert.True((Int128)kit * 1000 >= exact);
            Assert.True((Int128)(kit - 1) * 1000 < exact);
        }
        Assert.Equal(35_200, StockMath.KitQuantity(new BomLineSpec("m", 320, 100), 100));
        Assert.Throws<QuantityOutOfRangeException>(() => StockMath.KitQuantity(new BomLineSpec("m", StockMath.MaxQuantityPerUnit, 1000), 100_000));
    }
}

using Bimtek.Data.Persistence;
using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

/// <summary>Materials' lists page by keyset in the suite's opaque page token.</summary>
public sealed class PagingTests
{
    [Theory, BothDatabases]
    public async Task Ledger_entries_recorded_between_pages_neither_shift_nor_repeat_a_page(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "paging");
        var pin = (await materials.CreateMaterialAsync("PIN-PAGING")).MaterialId;
        for (var i = 0; i < 5; i++)
        {
            await materials.ReceiveAsync(DistrictOfficeId, $"P{i}", (pin, i + 1));
        }
        Task<ListLedgerEntriesResponse> Page(string token) => materials.Operator.ListLedgerEntriesAsync(
            new ListLedgerEntriesRequest { MaterialId = pin, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        // Newer receipts arrive while the reader is between pages: newest first, they sort before the position.
        await materials.ReceiveAsync(DistrictOfficeId, "LATE-1", (pin, 10));
        await materials.ReceiveAsync(DistrictOfficeId, "LATE-2", (pin, 20));
        var seen = first.Entries.ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.Entries);
            token = page.NextPageToken;
        }
        // With offsets the next pages would have shown entries 4 and 3 twice.
        Assert.Equal([5L, 4, 3, 2, 1], seen.Select(e => e.QuantityDelta));
        Assert.Equal(seen.Count, seen.Select(e => e.EntryId).Distinct().Count());
    }

    [Theory, BothDatabases]
    public async Task A_tampered_foreign_or_hand_made_token_is_invalid_argument_on_every_list(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "paging-tokens");
        var pin = (await materials.CreateMaterialAsync("PIN-TOKENS")).MaterialId;
        for (var i = 0; i < 3; i++)
        {
            await materials.ReceiveAsync(DistrictOfficeId, $"T{i}", (pin, 1));
        }
        var ledger = await materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { MaterialId = pin, PageSize = 1 });
        var real = ledger.NextPageToken;
        Assert.NotEqual("", real);
        Assert.Single((await materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { MaterialId = pin, PageSize = 1, PageToken = real })).Entries);

        var tampered = real[..^2] + (real[^2] == 'A' ? "B" : "A") + real[^1];
        var handMade = PageToken.After("materials.ledger", "yesterday", Guid.NewGuid().ToString(), "1");
        var programme = NewId();
        var client = materials.Operator;
        var lists = new Dictionary<string, Func<string, Task>>
        {
            ["materials"] = t => client.ListMaterialsAsync(new ListMaterialsRequest { PageToken = t }).ResponseAsync,
            ["products"] = t => client.ListProductsAsync(new ListProductsRequest { PageToken = t }).ResponseAsync,
            ["locations"] = t => client.ListLocationsAsync(new ListLocationsRequest { PageToken = t }).ResponseAsync,
            ["balances"] = t => client.ListBalancesAsync(new ListBalancesRequest { MaterialId = pin, PageToken = t }).ResponseAsync,
            ["lots"] = t => client.ListLotsAsync(new ListLotsRequest { PageToken = t }).ResponseAsync,
            ["yields"] = t => client.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = programme, PageToken = t }).ResponseAsync,
        };
        foreach (var (name, list) in lists)
        {
            // A token of the ledger is foreign to every other list.
            foreach (var bad in new[] { real, tampered, handMade, "2" })
            {
                var error = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => list(bad));
                Assert.True(RpcAssert.Fields(error).Contains("page_token"), $"{name} did not name page_token");
            }
        }
        foreach (var bad in new[] { tampered, handMade, "2" })
        {
            var error = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
                client.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { MaterialId = pin, PageToken = bad }));
            Assert.Contains("page_token", RpcAssert.Fields(error));
        }
    }
}

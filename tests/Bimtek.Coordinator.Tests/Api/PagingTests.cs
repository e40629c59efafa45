using Bimtek.Coordinator.V1;
using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;
using Grpc.Core;

namespace Bimtek.Coordinator.Tests.Api;

/// <summary>A programme's trainee list pages by keyset in the suite's opaque page token.</summary>
public sealed class PagingTests
{
    [Fact]
    public async Task Trainees_enrolled_between_pages_are_neither_skipped_nor_repeated_and_a_tampered_or_foreign_token_is_invalid_argument()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "coordinator-paging");
        var r = new Requests();
        await using var host = CoordinatorHost.Start(database);
        var relay = host.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Service());
        await relay.ApplyProgrammeChangeAsync(new ApplyProgrammeChangeRequest { RequestId = Requests.Id(), Programme = r.Snapshot() });
        for (var i = 1; i <= 5; i++)
        {
            await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(i), i));
        }
        var office = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Operator());
        Task<ProgrammeProgress> Page(string token) =>
            office.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = r.ProgrammeId, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        // Two more trainees enrol while the reader is between pages.
        await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(6), 6));
        await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(7), 7));
        var seen = first.Trainees.Select(t => t.TraineeId).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.Trainees.Select(t => t.TraineeId));
            token = page.NextPageToken;
        }
        Assert.Equal([Requests.T(1), Requests.T(2), Requests.T(3), Requests.T(4), Requests.T(5), Requests.T(6), Requests.T(7)], seen);

        // The token is opaque: not a number, and refused when damaged or made for another list.
        Assert.False(int.TryParse(first.NextPageToken, out _));
        var tampered = first.NextPageToken[..^2] + (first.NextPageToken[^2] == 'A' ? "B" : "A") + first.NextPageToken[^1];
        var foreign = PageToken.After("production.output-reports", "2", Requests.T(2));
        foreach (var bad in new[] { tampered, foreign, "2" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Page(bad));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
    }
}

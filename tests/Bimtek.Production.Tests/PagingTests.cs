using Bimtek.Data.Persistence;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

/// <summary>Production's lists page by keyset in the suite's opaque page token.</summary>
public sealed class PagingTests
{
    [Theory, BothDatabases]
    public async Task Reports_added_between_pages_neither_shift_nor_repeat_a_page_and_a_tampered_or_foreign_token_is_invalid_argument(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-paging");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var office = host.AsOperator();
        var original = new List<string>();
        foreach (var trainee in p.Trainees)
        {
            original.Add((await office.ReportOutputAsync(Report(p, trainee, Day1, 3))).ReportId);
        }
        Task<ListOutputReportsResponse> Page(string token) =>
            office.ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        // Newer reports arrive while the reader is between pages: they sort before the cursor (newest first).
        await office.ReportOutputAsync(Report(p, p.Trainees[0], Day1.AddDays(1), 1));
        await office.ReportOutputAsync(Report(p, p.Trainees[1], Day1.AddDays(1), 1));
        var seen = first.OutputReports.Select(r => r.ReportId).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.OutputReports.Select(r => r.ReportId));
            token = page.NextPageToken;
        }
        // Every original report exactly once; the newer ones sit before the first page's cursor.
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(original.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));

        // Opaque: not an offset; refused when damaged, made for another list, or a plain number.
        Assert.False(int.TryParse(first.NextPageToken, out _));
        var tampered = first.NextPageToken[..^2] + (first.NextPageToken[^2] == 'A' ? "B" : "A") + first.NextPageToken[^1];
        var foreign = PageToken.After("production.inspections", "1", Guid.NewGuid().ToString());
        var handMade = PageToken.After("production.output-reports", "yesterday", Guid.NewGuid().ToString());
        foreach (var bad in new[] { tampered, foreign, handMade, "2" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Page(bad));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
        var inspections = await Assert.ThrowsAsync<RpcException>(() =>
            office.ListInspectionsAsync(new ListInspectionsRequest { ProgrammeId = p.Id, PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, inspections.StatusCode);
    }
}

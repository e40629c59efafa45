using Bimtek.Data.Persistence;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Google.Rpc;
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

    [Theory, BothDatabases]
    public async Task Inspections_made_between_pages_sort_before_the_position_and_the_rest_come_once(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-paging-inspections");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var office = host.AsOperator();
        var original = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            original.Add((await InspectNewReportAsync(host, p, p.Trainees[i])).InspectionId);
        }
        Task<ListInspectionsResponse> Page(string token) =>
            office.ListInspectionsAsync(new ListInspectionsRequest { ProgrammeId = p.Id, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        // Newer inspections are made while the reader is between pages: they sort before the cursor (newest first).
        await InspectNewReportAsync(host, p, p.Trainees[0]);
        await InspectNewReportAsync(host, p, p.Trainees[1]);
        var seen = first.Inspections.Select(i => i.InspectionId).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.Inspections.Select(i => i.InspectionId));
            token = page.NextPageToken;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(original.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task Rework_orders_made_between_pages_come_after_the_position_and_none_twice(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-paging-rework");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var inspection = await InspectNewReportAsync(host, p, p.Trainees[0], rejected: 7);
        var original = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            original.Add((await SendBackOneAsync(host, p, inspection)).ReworkOrderId);
        }
        Task<ListReworkOrdersResponse> Page(string token) => host.AsOperator().ListReworkOrdersAsync(
            new ListReworkOrdersRequest { ProgrammeId = p.Id, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        // Oldest first: orders made while the reader is between pages sort after every earlier one.
        var later = new List<string>
        {
            (await SendBackOneAsync(host, p, inspection)).ReworkOrderId,
            (await SendBackOneAsync(host, p, inspection)).ReworkOrderId,
        };
        var seen = first.ReworkOrders.Select(o => o.ReworkOrderId).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.ReworkOrders.Select(o => o.ReworkOrderId));
            token = page.NextPageToken;
        }
        // Each order exactly once, the later ones last.
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(original.Concat(later).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(later.Order(StringComparer.Ordinal), seen.TakeLast(2).Order(StringComparer.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task A_tampered_or_foreign_token_is_invalid_argument_on_page_token_on_every_list(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-paging-tokens");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var office = host.AsOperator();
        var inspection = await InspectNewReportAsync(host, p, p.Trainees[0], rejected: 2);
        await InspectNewReportAsync(host, p, p.Trainees[1]);
        await SendBackOneAsync(host, p, inspection);
        await SendBackOneAsync(host, p, inspection);

        var lists = new Dictionary<string, Func<string, Task<string>>>
        {
            ["output reports"] = async t => (await office.ListOutputReportsAsync(
                new ListOutputReportsRequest { ProgrammeId = p.Id, PageSize = 1, PageToken = t })).NextPageToken,
            ["inspections"] = async t => (await office.ListInspectionsAsync(
                new ListInspectionsRequest { ProgrammeId = p.Id, PageSize = 1, PageToken = t })).NextPageToken,
            ["rework orders"] = async t => (await office.ListReworkOrdersAsync(
                new ListReworkOrdersRequest { ProgrammeId = p.Id, PageSize = 1, PageToken = t })).NextPageToken,
        };
        var tokens = new Dictionary<string, string>();
        foreach (var (name, list) in lists)
        {
            tokens[name] = await list("");
            Assert.NotEqual("", tokens[name]);
            // The list's own token is taken.
            await list(tokens[name]);
        }
        foreach (var (name, list) in lists)
        {
            var own = tokens[name];
            var tampered = own[..^2] + (own[^2] == 'A' ? "B" : "A") + own[^1];
            var foreign = tokens.Where(t => t.Key != name).Select(t => t.Value);
            foreach (var bad in foreign.Append(tampered).Append("2"))
            {
                var error = await Assert.ThrowsAsync<RpcException>(() => list(bad));
                Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
                Assert.Contains("page_token", error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
            }
        }
    }

    /// <summary>A new report of the trainee on the first day, inspected at once: all accepted, or <paramref name="rejected"/> of them for open seams.</summary>
    private static async Task<Inspection> InspectNewReportAsync(TestHost host, ProgrammeSetup p, Person trainee, int rejected = 0)
    {
        var report = await host.AsOperator().ReportOutputAsync(Report(p, trainee, Day1, 10));
        return await host.AsInstructor(p).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = trainee.Id,
            ReportIds = { report.ReportId },
            AcceptedUnits = 10 - rejected,
            RejectedUnits = rejected,
            Defects = { rejected > 0 ? [new DefectCount { DefectCode = "SEAM_OPEN", Units = rejected }] : Array.Empty<DefectCount>() },
        });
    }

    private static async Task<ReworkOrder> SendBackOneAsync(TestHost host, ProgrammeSetup p, Inspection inspection) =>
        await host.AsInstructor(p).SendBackForReworkAsync(new SendBackForReworkRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            InspectionId = inspection.InspectionId,
            Units = 1,
            Note = "jahit ulang",
        });
}

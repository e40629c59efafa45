using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

public sealed class MaskProgrammeTests
{
    /// <summary>
    /// The 2020 mask programme: 5 trainees make 100 masks each over 3 days (34 + 33 + 33), an
    /// instructor inspects each trainee's day; two masks with an open seam go back for rework and
    /// pass the second time. 500 masks accepted, 500 handed to distribution.
    /// </summary>
    [Theory, BothDatabases]
    public async Task The_mask_programmes_500_masks_are_reported_inspected_and_accepted(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-masks");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes, trainees: 5, masksPerTrainee: 100);
        await using var host = StartProduction(db, fakes);
        int[] perDay = [34, 33, 33];

        foreach (var trainee in p.Trainees)
        {
            for (var d = 0; d < 3; d++)
            {
                var report = await host.AsTrainee(trainee).ReportOutputAsync(Report(p, trainee, Day1.AddDays(d), perDay[d]));
                Assert.Equal(OutputReportStatus.Recorded, report.Status);
            }
        }

        var instructor = host.AsInstructor(p);
        foreach (var trainee in p.Trainees)
        {
            for (var d = 0; d < 3; d++)
            {
                var withDefects = trainee == p.Trainees[0] && d == 2;
                var inspection = await instructor.InspectOutputAsync(new InspectOutputRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    ProgrammeId = p.Id,
                    TraineeId = trainee.Id,
                    Day = Date(Day1.AddDays(d)),
                    AcceptedUnits = withDefects ? perDay[d] - 2 : perDay[d],
                    RejectedUnits = withDefects ? 2 : 0,
                    Defects = { withDefects ? [new DefectCount { DefectCode = "SEAM_OPEN", Units = 2 }] : Array.Empty<DefectCount>() },
                });
                Assert.Equal(InspectionStatus.Completed, inspection.Status);
                if (withDefects)
                {
                    // Back for rework; the trainee reports the 2 reworked masks; they pass.
                    var order = await instructor.SendBackForReworkAsync(new SendBackForReworkRequest
                    {
                        RequestId = Guid.NewGuid().ToString(),
                        InspectionId = inspection.InspectionId,
                        Units = 2,
                        Note = "jahit ulang",
                    });
                    var rework = Report(p, trainee, Day1.AddDays(d), 2);
                    rework.ReworkOrderId = order.ReworkOrderId;
                    var reworked = await host.AsTrainee(trainee).ReportOutputAsync(rework);
                    Assert.Equal(OutputReportStatus.Recorded, reworked.Status);
                    var open = await instructor.ListReworkOrdersAsync(new ListReworkOrdersRequest { ProgrammeId = p.Id, OpenOnly = true });
                    Assert.Empty(open.ReworkOrders);
                    await instructor.InspectOutputAsync(new InspectOutputRequest
                    {
                        RequestId = Guid.NewGuid().ToString(),
                        ProgrammeId = p.Id,
                        TraineeId = trainee.Id,
                        ReportIds = { reworked.ReportId },
                        AcceptedUnits = 2,
                    });
                }
            }
        }

        var totals = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal(Mask, totals.ProductCode);
        Assert.Equal((500, 502, 500, 0, 0, 0), (totals.ReportedUnits, totals.InspectedUnits, totals.AcceptedUnits, totals.RejectedUnits, totals.AwaitingInspectionUnits, totals.AwaitingSignOffUnits));
        Assert.Equal(3, totals.Days.Count);
        Assert.Equal([170, 165, 165], totals.Days.Select(d => d.ReportedUnits));

        var series = await host.AsTrainee(p.Trainees[1]).GetTraineeDailySeriesAsync(new GetTraineeDailySeriesRequest { ProgrammeId = p.Id, TraineeId = p.Trainees[1].Id });
        Assert.Equal(perDay, series.Days.Select(d => d.ReportedUnits));
        Assert.Equal(perDay, series.Days.Select(d => d.AcceptedUnits));

        var defects = await instructor.GetDefectCountsAsync(new GetDefectCountsRequest { ProgrammeId = p.Id });
        Assert.Equal(("SEAM_OPEN", 2), (defects.Defects[0].DefectCode, defects.Defects[0].Units));

        // Pages: 5 × 3 reports + 1 rework report, newest first, 7 per page.
        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await instructor.ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, PageSize = 7, PageToken = token });
            seen.AddRange(page.OutputReports.Select(r => r.ReportId));
            token = page.NextPageToken;
        }
        while (token != "");
        Assert.Equal(16, seen.Distinct().Count());

        await OutboxDrainedAsync(host);
        Assert.Equal(500, fakes.Distribution.Units(p.Id));
        Assert.Equal(16, fakes.Quota.Outputs.Count);
        Assert.Equal(500, fakes.Quota.Inspections.Values.Sum(i => i.AcceptedUnits));
        Assert.Equal(15, fakes.Materials.TotalApplied());
        Assert.All(p.Trainees, t => Assert.Equal(0, fakes.Materials.OnHand(t.Id, Fabric)));
    }
}

using Bimtek.Data.Outbox;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

public sealed class RestartTests
{
    /// <summary>
    /// First host: materials down (reports A and D stored PENDING, caller gets UNAVAILABLE), then
    /// materials applying but losing its reply (B consumed, still PENDING), then materials fine but
    /// the coordinator down (C RECORDED, its effect stuck in the outbox). The host stops. A new host
    /// with everything reachable finishes A and B (RECORDED), D (REJECTED: shortage) and delivers
    /// every effect exactly once; every consumption applied exactly once.
    /// </summary>
    [Theory, BothDatabases]
    public async Task Reports_left_pending_or_unrelayed_when_the_host_stops_are_finished_exactly_once_by_the_next_host(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-restart");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes, trainees: 2, masksPerTrainee: 100);
        var (alice, budi) = (p.Trainees[0], p.Trainees[1]);
        var a = Report(p, alice, Day1, 10);
        var b = Report(p, alice, Day1, 20);
        var c = Report(p, alice, Day1.AddDays(1), 30);
        var d = Report(p, budi, Day1, 500); // more than budi's home holds

        string[] pendingIds;
        await using (var first = StartProduction(db, fakes, reconcilerPeriod: TimeSpan.FromMinutes(10)))
        {
            fakes.SetDown("coordinator", true);
            fakes.SetDown("materials", true);
            var error = await Assert.ThrowsAsync<RpcException>(() => first.AsTrainee(alice).ReportOutputAsync(a).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            var errorD = await Assert.ThrowsAsync<RpcException>(() => first.AsOperator().ReportOutputAsync(d).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, errorD.StatusCode);

            // Materials applies the consumption but the reply never arrives.
            fakes.SetDown("materials", false);
            fakes.Materials.LoseReplies = true;
            var lost = await Assert.ThrowsAsync<RpcException>(() => first.AsTrainee(alice).ReportOutputAsync(b).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, lost.StatusCode);
            fakes.Materials.LoseReplies = false;

            var recorded = await first.AsTrainee(alice).ReportOutputAsync(c);
            Assert.Equal(OutputReportStatus.Recorded, recorded.Status);

            var pending = await first.AsOperator().ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, Status = OutputReportStatus.Pending });
            pendingIds = pending.OutputReports.Select(r => r.ReportId).ToArray();
            Assert.Equal(3, pendingIds.Length);
            var totals = await first.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
            Assert.Equal(30, totals.ReportedUnits);
            Assert.Equal(3, totals.PendingReports);
            Assert.Equal(1, (await first.Services.GetRequiredService<OutboxStatus>().ReadAsync()).Pending);
        }
        Assert.Empty(fakes.Quota.Outputs);

        fakes.SetDown("coordinator", false);
        await using var second = StartProduction(db, fakes);
        var operatorClient = second.AsOperator();
        await WaitUntilAsync(async () =>
            (await operatorClient.ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, Status = OutputReportStatus.Pending })).OutputReports.Count == 0,
            "no report left pending");
        await OutboxDrainedAsync(second);

        var reports = (await operatorClient.ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id })).OutputReports;
        Assert.Equal(4, reports.Count);
        var byUnits = reports.ToDictionary(r => r.Units);
        Assert.Equal(OutputReportStatus.Recorded, byUnits[10].Status);
        Assert.Equal(OutputReportStatus.Recorded, byUnits[20].Status);
        Assert.Equal(OutputReportStatus.Recorded, byUnits[30].Status);
        Assert.Equal(OutputReportStatus.Rejected, byUnits[500].Status);
        Assert.Contains(Fabric, byUnits[500].RejectionReason);

        // Every consumption once; nothing for the refused report; every effect once.
        foreach (var units in new[] { 10, 20, 30 })
        {
            Assert.Equal(1, fakes.Materials.TimesApplied(byUnits[units].ReportId));
            Assert.Equal(1, fakes.Quota.OutputsFor(byUnits[units].ReportId));
        }
        Assert.Equal(0, fakes.Materials.TimesApplied(byUnits[500].ReportId));
        Assert.Equal(3, fakes.Quota.Outputs.Count);
        Assert.Equal(4000 - (40 * 60), fakes.Materials.OnHand(alice.Id, Fabric));
        Assert.Equal(4000, fakes.Materials.OnHand(budi.Id, Fabric));

        // The client's retry after the outage returns the finished report.
        var retried = await second.AsTrainee(alice).ReportOutputAsync(a);
        Assert.Equal(byUnits[10].ReportId, retried.ReportId);
        Assert.Equal(OutputReportStatus.Recorded, retried.Status);
        var totalsAfter = await operatorClient.GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal(60, totalsAfter.ReportedUnits);
        Assert.Equal(0, totalsAfter.PendingReports);
        Assert.Equal(500, totalsAfter.RefusedUnits);
        Assert.Equal(3, fakes.Materials.TotalApplied());
    }
}

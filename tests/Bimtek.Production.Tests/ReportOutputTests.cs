using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

public sealed class ReportOutputTests
{
    [Theory, BothDatabases]
    public async Task The_same_report_sent_three_times_also_concurrently_counts_once_everywhere(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-dup");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var trainee = p.Trainees[0];
        var client = host.AsTrainee(trainee);

        // Sequential retries of one request.
        var request = Report(p, trainee, Day1, 10);
        var first = await client.ReportOutputAsync(request);
        var second = await client.ReportOutputAsync(request);
        var third = await client.ReportOutputAsync(request);
        Assert.Equal(OutputReportStatus.Recorded, first.Status);
        Assert.Equal(first.ReportId, second.ReportId);
        Assert.Equal(first.ReportId, third.ReportId);
        Assert.Equal(OutputReportStatus.Recorded, third.Status);

        // Three copies of another request at the same moment.
        var concurrent = Report(p, trainee, Day1.AddDays(1), 7);
        var copies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.ReportOutputAsync(concurrent).ResponseAsync));
        Assert.Single(copies.Select(c => c.ReportId).Distinct());
        Assert.All(copies, c => Assert.Equal(OutputReportStatus.Recorded, c.Status));

        // The same id with a different payload is refused.
        var reused = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(Report(p, trainee, Day1, 11, request.RequestId)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, reused.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", reused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // Production counts each once; materials consumed each once; the coordinator got one effect each.
        var totals = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal(17, totals.ReportedUnits);
        Assert.Equal(17, totals.AwaitingInspectionUnits);
        var list = await client.ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, TraineeId = trainee.Id });
        Assert.Equal(2, list.OutputReports.Count);
        Assert.Equal(1, fakes.Materials.TimesApplied(first.ReportId));
        Assert.Equal(1, fakes.Materials.TimesApplied(copies[0].ReportId));
        Assert.Equal(40L * 100 - 40L * 17, fakes.Materials.OnHand(trainee.Id, Fabric));
        await OutboxDrainedAsync(host);
        Assert.Equal(1, fakes.Quota.OutputsFor(first.ReportId));
        Assert.Equal(1, fakes.Quota.OutputsFor(copies[0].ReportId));
        Assert.Equal(2, fakes.Quota.Outputs.Count);
    }

    [Theory, BothDatabases]
    public async Task A_report_replayed_after_retention_pruned_its_request_key_still_counts_once(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-pruned");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var trainee = p.Trainees[0];
        var client = host.AsTrainee(trainee);
        var request = Report(p, trainee, Day1, 10); // a random (v4) request_id, as the field app sends
        var first = await client.ReportOutputAsync(request);
        await OutboxDrainedAsync(host);

        // What retention leaves after the key window: no request keys, no delivered outbox rows.
        var database = host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await database.InTransactionAsync(async s =>
        {
            await s.ExecuteAsync("DELETE FROM idempotency_keys");
            await s.ExecuteAsync("DELETE FROM outbox_messages WHERE status = 'delivered'");
        });

        // The report's own row is unique on request_id: the replay finds it instead of reporting again.
        var replay = await client.ReportOutputAsync(request);
        Assert.Equal(first.ReportId, replay.ReportId);
        Assert.Equal(OutputReportStatus.Recorded, replay.Status);
        var totals = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal(10, totals.ReportedUnits);
        await OutboxDrainedAsync(host);
        Assert.Equal(1, fakes.Materials.TimesApplied(first.ReportId));
        Assert.Equal(1, fakes.Quota.OutputsFor(first.ReportId));
    }

    [Theory, BothDatabases]
    public async Task A_report_beyond_the_trainees_material_is_refused_naming_the_material(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-short");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes, trainees: 1, masksPerTrainee: 100);
        await using var host = StartProduction(db, fakes);
        var trainee = p.Trainees[0];
        var client = host.AsTrainee(trainee);

        var request = Report(p, trainee, Day1, 150);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal("INSUFFICIENT_MATERIAL", status.GetDetail<ErrorInfo>().Reason);
        var violation = Assert.Single(status.GetDetail<PreconditionFailure>().Violations, v => v.Description.Contains(Fabric));
        Assert.Contains("short 2000", violation.Description);
        Assert.Contains(Fabric, status.Message);
        var reportId = status.GetDetail<ErrorInfo>().Metadata["report_id"];

        // Stored REJECTED with the reason; nothing consumed; a replay answers the same.
        var report = await client.GetOutputReportAsync(new GetOutputReportRequest { ReportId = reportId });
        Assert.Equal(OutputReportStatus.Rejected, report.Status);
        Assert.Contains(Fabric, report.RejectionReason);
        Assert.Equal(4000, fakes.Materials.OnHand(trainee.Id, Fabric));
        var replay = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, replay.StatusCode);
        var totals = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal(0, totals.ReportedUnits);
        Assert.Equal(150, totals.RefusedUnits);
        await OutboxDrainedAsync(host);
        Assert.Empty(fakes.Quota.Outputs);
    }

    [Fact]
    public async Task Bad_input_foreign_trainees_and_rules_are_refused_with_the_right_status()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-rules");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes, trainees: 2);
        await using var host = StartProduction(db, fakes);
        var (alice, budi) = (p.Trainees[0], p.Trainees[1]);
        var client = host.AsTrainee(alice);

        var bad = Report(p, alice, Day1, 0);
        bad.PhotoUrl = "ftp://x";
        bad.RequestId = "not-a-uuid";
        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(bad).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var fields = invalid.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Superset(new HashSet<string> { "request_id", "units", "photo_url" }, fields);

        // A trainee reports only for themself; reads only their own.
        var foreign = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(Report(p, budi, Day1, 1)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, foreign.StatusCode);
        var budisReport = await host.AsTrainee(budi).ReportOutputAsync(Report(p, budi, Day1, 3));
        var peek = await Assert.ThrowsAsync<RpcException>(() => client.GetOutputReportAsync(new GetOutputReportRequest { ReportId = budisReport.ReportId }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, peek.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.GetOutputReportAsync(new GetOutputReportRequest { ReportId = Guid.NewGuid().ToString() }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, unknown.StatusCode);
        var listForeign = await Assert.ThrowsAsync<RpcException>(() => client.ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, TraineeId = budi.Id }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, listForeign.StatusCode);

        // An instructor of the programme reports for a trainee.
        var forAlice = await host.AsInstructor(p).ReportOutputAsync(Report(p, alice, Day1, 2));
        Assert.Equal(OutputReportStatus.Recorded, forAlice.Status);
        Assert.Equal(p.Instructor.Subject, forAlice.ReportedBy);

        // Day outside the programme, withdrawn trainee, programme not active.
        var outside = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(Report(p, alice, Day1.AddDays(5), 1)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, outside.StatusCode);
        Assert.Equal("DAY_OUTSIDE_PROGRAMME", outside.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        p.Programme.Trainees[budi.Id] = false;
        var withdrawn = await Assert.ThrowsAsync<RpcException>(() => host.AsOperator().ReportOutputAsync(Report(p, budi, Day1, 1)).ResponseAsync);
        Assert.Equal("TRAINEE_NOT_ENROLLED", withdrawn.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        p.Programme.Status = Bimtek.Participants.V1.ProgrammeStatus.Completed;
        var closed = await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(Report(p, alice, Day1, 1)).ResponseAsync);
        Assert.Equal("PROGRAMME_NOT_ACTIVE", closed.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // An unknown programme is NOT_FOUND for an operator, PERMISSION_DENIED for a trainee.
        var ghost = Report(p, alice, Day1, 1);
        ghost.ProgrammeId = Guid.NewGuid().ToString();
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => host.AsOperator().ReportOutputAsync(ghost).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => client.ReportOutputAsync(ghost).ResponseAsync)).StatusCode);

        // No token, no entry; a recipient may not report.
        var anonymous = host.Client<ProductionService.ProductionServiceClient>(null);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => anonymous.ReportOutputAsync(Report(p, alice, Day1, 1)).ResponseAsync)).StatusCode);
        var recipient = host.Client<ProductionService.ProductionServiceClient>(TestTokens.Mint("bpbd", Roles.Recipient));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => recipient.ReportOutputAsync(Report(p, alice, Day1, 1)).ResponseAsync)).StatusCode);
    }
}

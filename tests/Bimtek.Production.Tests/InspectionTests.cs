using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

public sealed class InspectionTests
{
    [Theory, BothDatabases]
    public async Task Ppe_passed_by_an_instructor_is_neither_accepted_nor_distributed_until_a_health_expert_signs_off(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-ppe");
        await using var fakes = await FakeSuite.StartAsync();
        var p = PpeProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var (siti, rahmat) = (p.Trainees[0], p.Trainees[1]);
        var day = new DateOnly(2020, 6, 3);
        var report = await host.AsTrainee(siti).ReportOutputAsync(Report(p, siti, day, 9));

        // Instructor passes all 9: they await sign-off, nothing is accepted or sent on.
        var inspect = new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = siti.Id,
            ReportIds = { report.ReportId },
            AcceptedUnits = 9,
        };
        var inspection = await host.AsInstructor(p).InspectOutputAsync(inspect);
        Assert.Equal(InspectionStatus.AwaitingSignOff, inspection.Status);
        Assert.Equal(InspectorRole.Instructor, inspection.InspectorRole);
        Assert.Equal(0, inspection.AcceptedUnits);
        Assert.Equal(9, inspection.AwaitingSignOffUnits);
        Assert.Equal(inspection.InspectionId, (await host.AsInstructor(p).InspectOutputAsync(inspect)).InspectionId);

        // The same units cannot be inspected again.
        var again = await Assert.ThrowsAsync<RpcException>(() => host.AsInstructor(p).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = siti.Id,
            ReportIds = { report.ReportId },
            AcceptedUnits = 1,
        }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);

        await OutboxDrainedAsync(host);
        var totals = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal(0, totals.AcceptedUnits);
        Assert.Equal(9, totals.AwaitingSignOffUnits);
        Assert.Equal(0, totals.AwaitingInspectionUnits);
        Assert.Empty(fakes.Distribution.Received);
        var effect = Assert.Single(fakes.Quota.Inspections.Values);
        Assert.Equal((9, 0, 0, 9), (effect.InspectedUnits, effect.AcceptedUnits, effect.RejectedUnits, effect.AwaitingSignOffDelta));

        // An instructor may not sign off; a health expert does, rejecting one on a medical point.
        var signOff = new SignOffInspectionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            InspectionId = inspection.InspectionId,
            AcceptedUnits = 8,
            RejectedUnits = 1,
            Defects = { new DefectCount { DefectCode = "SEAM_NOT_SEALED", Units = 1 } },
        };
        var byInstructor = await Assert.ThrowsAsync<RpcException>(() => host.AsInstructor(p).SignOffInspectionAsync(signOff).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, byInstructor.StatusCode);
        Assert.Equal("SIGN_OFF_REQUIRES_HEALTH_EXPERT", byInstructor.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        var byTrainee = await Assert.ThrowsAsync<RpcException>(() => host.AsTrainee(siti).SignOffInspectionAsync(signOff).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, byTrainee.StatusCode);

        var signed = await host.AsHealthExpert(p).SignOffInspectionAsync(signOff);
        Assert.Equal(InspectionStatus.SignedOff, signed.Status);
        Assert.Equal(8, signed.AcceptedUnits);
        Assert.Equal(0, signed.AwaitingSignOffUnits);
        Assert.Equal(p.HealthExpert.Id, signed.SignOff.HealthExpertId);
        Assert.Equal("SEAM_NOT_SEALED", Assert.Single(signed.SignOff.Defects).DefectCode);
        Assert.Equal(signed, await host.AsHealthExpert(p).SignOffInspectionAsync(signOff));

        // A health expert's own inspection accepts at once.
        var second = await host.AsTrainee(rahmat).ReportOutputAsync(Report(p, rahmat, day, 8));
        var direct = await host.AsHealthExpert(p).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = rahmat.Id,
            Day = Date(day),
            AcceptedUnits = 8,
        });
        Assert.Equal(InspectionStatus.SignedOff, direct.Status);
        Assert.Equal(8, direct.AcceptedUnits);
        Assert.Equal(second.ReportId, Assert.Single(direct.Reports).ReportId);

        await OutboxDrainedAsync(host);
        Assert.Equal(16, fakes.Distribution.Units(p.Id));
        var final = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal((17, 17, 16, 1, 0, 0), (final.ReportedUnits, final.InspectedUnits, final.AcceptedUnits, final.RejectedUnits, final.AwaitingInspectionUnits, final.AwaitingSignOffUnits));
        var defects = await host.AsHealthExpert(p).GetDefectCountsAsync(new GetDefectCountsRequest { ProgrammeId = p.Id });
        var seam = Assert.Single(defects.Defects);
        Assert.Equal(("SEAM_NOT_SEALED", 1), (seam.DefectCode, seam.Units));
        Assert.NotEmpty(seam.Label);
        Assert.Equal(1, fakes.Quota.Inspections.Values.Count(i => i.AwaitingSignOffDelta == -9 && i.AcceptedUnits == 8 && i.RejectedUnits == 1));
    }

    [Fact]
    public async Task Units_are_never_inspected_more_than_reported_even_by_concurrent_inspectors()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres, "production-race");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes, trainees: 1);
        await using var host = StartProduction(db, fakes);
        var trainee = p.Trainees[0];
        await host.AsTrainee(trainee).ReportOutputAsync(Report(p, trainee, Day1, 10));
        await host.AsTrainee(trainee).ReportOutputAsync(Report(p, trainee, Day1, 5));

        var tooMany = await Assert.ThrowsAsync<RpcException>(() => host.AsInstructor(p).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = trainee.Id,
            Day = Date(Day1),
            AcceptedUnits = 16,
        }).ResponseAsync);
        Assert.Equal("INSPECTING_MORE_THAN_REPORTED", tooMany.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // Eight inspectors each try to take 4 of the 15 units at once: at most 3 succeed.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await host.AsInstructor(p).InspectOutputAsync(new InspectOutputRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    ProgrammeId = p.Id,
                    TraineeId = trainee.Id,
                    Day = Date(Day1),
                    AcceptedUnits = 3,
                    RejectedUnits = 1,
                    Defects = { new DefectCount { DefectCode = "SEAM_OPEN", Units = 1 } },
                });
                return true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
            {
                return false;
            }
        }));
        Assert.Equal(3, attempts.Count(ok => ok));
        var totals = await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id });
        Assert.Equal((15, 12, 9, 3, 3), (totals.ReportedUnits, totals.InspectedUnits, totals.AcceptedUnits, totals.RejectedUnits, totals.AwaitingInspectionUnits));

        // A defect code not on the product's checklist is refused.
        var unknown = await Assert.ThrowsAsync<RpcException>(() => host.AsInstructor(p).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = trainee.Id,
            Day = Date(Day1),
            RejectedUnits = 1,
            Defects = { new DefectCount { DefectCode = "COFFEE_STAIN", Units = 1 } },
        }).ResponseAsync);
        Assert.Equal("DEFECT_CODE_NOT_IN_CHECKLIST", unknown.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // A trainee may not inspect.
        var byTrainee = await Assert.ThrowsAsync<RpcException>(() => host.AsTrainee(trainee).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = trainee.Id,
            Day = Date(Day1),
            AcceptedUnits = 1,
        }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, byTrainee.StatusCode);
    }
}

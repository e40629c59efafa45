using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

/// <summary>
/// Offices reach production: an operator of another district is refused a programme's output and inspections,
/// named by programme id or found by their own id (also signing off); the district's own operator and the province's read them.
/// </summary>
public sealed class OfficeTests
{
    private const string Province = "DISPERIN-KALSEL";
    private const string Hsu = "DISPERINDAGKOP-HSU";
    private const string Hst = "DISPERINDAG-HST";

    [Theory, BothDatabases]
    public async Task Another_districts_operator_gets_403_while_the_district_and_its_province_read(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-offices");
        await using var fakes = await FakeSuite.StartAsync();
        var p = PpeProgramme(fakes);
        p.Programme.Office = Hsu;
        await using var host = StartProduction(db, fakes, configuration: new Dictionary<string, string?>
        {
            ["Offices:Default"] = Hsu,
            ["Offices:Provinces:" + Province + ":0"] = Hsu,
            ["Offices:Provinces:" + Province + ":1"] = Hst,
        });
        var siti = p.Trainees[0];
        var report = await host.AsTrainee(siti).ReportOutputAsync(Report(p, siti, new DateOnly(2020, 6, 3), 9));
        var inspection = await host.AsInstructor(p).InspectOutputAsync(new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = siti.Id,
            ReportIds = { report.ReportId },
            AcceptedUnits = 9,
        });

        var hst = OperatorOf(host, Hst);
        await DeniedAsync(hst.GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id }));
        await DeniedAsync(hst.ListInspectionsAsync(new ListInspectionsRequest { ProgrammeId = p.Id }));
        await DeniedAsync(hst.GetInspectionAsync(new GetInspectionRequest { InspectionId = inspection.InspectionId }));
        await DeniedAsync(hst.GetOutputReportAsync(new GetOutputReportRequest { ReportId = report.ReportId }));
        await DeniedAsync(hst.SignOffInspectionAsync(new SignOffInspectionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            InspectionId = inspection.InspectionId,
            HealthExpertId = p.HealthExpert.Id,
            AcceptedUnits = 9,
        }));

        foreach (var office in new[] { Hsu, Province })
        {
            var reader = OperatorOf(host, office);
            Assert.Equal(9, (await reader.GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id })).ReportedUnits);
            Assert.Equal(inspection.InspectionId, (await reader.GetInspectionAsync(new GetInspectionRequest { InspectionId = inspection.InspectionId })).InspectionId);
        }
        // An operator without an office claim is the default office's (here HSU, the programme's).
        Assert.Equal(9, (await host.AsOperator().GetProgrammeTotalsAsync(new GetProgrammeTotalsRequest { ProgrammeId = p.Id })).ReportedUnits);
    }

    private static ProductionService.ProductionServiceClient OperatorOf(TestHost host, string office) =>
        host.Client<ProductionService.ProductionServiceClient>(TestTokens.OperatorOf(office, "operator-" + office));

    private static async Task DeniedAsync<T>(AsyncUnaryCall<T> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}

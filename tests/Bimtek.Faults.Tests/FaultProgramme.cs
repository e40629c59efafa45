using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;

namespace Bimtek.Faults.Tests;

/// <summary>A programme a fault or restore test reports output for: its trainees, days, the BOM per unit and its instructor (who inspects).</summary>
public sealed record FaultProgramme(string Id, IReadOnlyList<string> TraineeIds, IReadOnlyList<DateOnly> Days, IReadOnlyDictionary<string, long> BomPerUnit, string InstructorId)
{
    /// <summary>As the scenarios do: stock received, a programme with trainees enrolled and active, kits dispatched home.</summary>
    public static async Task<FaultProgramme> SetUpAsync(SuiteProcesses suite, string fault, int trainees, int quotaPerTrainee, CancellationToken ct)
    {
        using var http = suite.CreateGatewayClient();
        var steps = new Steps(new SuiteApi(new RestClient(http, TextWriter.Null)), new ScenarioOptions(TimeSpan.FromSeconds(60)));
        try
        {
            var (product, bom) = await steps.ProductAsync(Mask2020.ProductCode, ct);
            var spec = new ProgrammeSpec("FAULTS", $"Fault test: {fault}", Mask2020.ProductCode, ["Disperindagkop-UKM HSU"],
                new DateOnly(2021, 3, 1), new DateOnly(2021, 3, 5), trainees, trainees * quotaPerTrainee,
                [.. Enumerable.Range(1, trainees).Select(i => new TraineeSpec($"Peserta Uji {i}", 1990 + i, "Sungai Karias", null))]);
            var programmeId = await steps.CreateProgrammeAsync(spec, ct);
            var warehouseId = await steps.ReceiveFromProvinceAsync(bom, Steps.EvenQuotas(spec.Target, trainees), programmeId, ct);
            var instructorId = await steps.StaffAsync(programmeId, "STAFF_KIND_INSTRUCTOR", "STAFF_ROLE_INSTRUCTOR", "Instruktur Uji", "Disperindagkop-UKM HSU", ct);
            var traineeIds = await steps.EnrolTraineesAsync(programmeId, spec, ct);
            await steps.ActivateAsync(programmeId, trainees, ct);
            var quotas = await steps.QuotasAsync(programmeId, traineeIds, spec.Target, ct);
            await steps.KitsAsync(programmeId, product.Required("productId", "find product"), warehouseId, traineeIds, quotas, ct);
            return new FaultProgramme(programmeId, traineeIds, spec.Days, bom.ToDictionary(l => l.Str("materialId"), l => l.Long("quantityPerUnit")), instructorId);
        }
        catch (ScenarioFailure failure)
        {
            throw new Xunit.Sdk.XunitException($"Programme set-up failed: {failure.Message}{Environment.NewLine}{suite.DescribeProcesses()}");
        }
    }
}

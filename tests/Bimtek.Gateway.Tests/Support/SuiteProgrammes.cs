using System.Diagnostics;
using System.Text.Json.Nodes;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>Programmes set up over REST through a real-process suite's gateway.</summary>
public static class SuiteProgrammes
{
    /// <summary>
    /// An active programme (target 10) with two enrolled trainees; waits until the coordinator holds both; returns the
    /// first. When one's quota is overridden, the other absorbs the rest of the target.
    /// </summary>
    public static async Task<(string ProgrammeId, string TraineeId)> WithTwoTraineesAsync(SuiteProcesses suite, string codePrefix)
    {
        using var http = suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, TextWriter.Null));
        var ct = CancellationToken.None;
        var programme = await api.CreateProgrammeAsync(new JsonObject
        {
            ["code"] = codePrefix + "-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            ["title"] = $"{codePrefix.ToLowerInvariant()} test programme",
            ["productCode"] = Mask2020.ProductCode,
            ["organisers"] = Strings(["Disperindagkop-UKM HSU"]),
            ["district"] = ProgrammeSpec.District,
            ["province"] = ProgrammeSpec.Province,
            ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            ["startDay"] = Date(new DateOnly(2020, 5, 18)),
            ["endDay"] = Date(new DateOnly(2020, 5, 20)),
            ["timeZone"] = ProgrammeSpec.TimeZone,
            ["capacity"] = 5,
            ["targetQuantity"] = 10,
        }, ct);
        var programmeId = programme.Required("programmeId", "create programme");
        var instructor = await api.RegisterStaffAsync("STAFF_KIND_INSTRUCTOR", $"Instruktur {codePrefix}", ProgrammeSpec.District, "Disperindagkop-UKM HSU", ct);
        await api.AssignStaffAsync(programmeId, instructor.Required("personId", "register instructor"), "STAFF_ROLE_INSTRUCTOR", ct);
        var traineeIds = new List<string>();
        foreach (var name in new[] { $"Siti {codePrefix}", $"Rahmat {codePrefix}" })
        {
            var trainee = await api.RegisterTraineeAsync(new JsonObject
            {
                ["name"] = name,
                ["birthYear"] = 1995,
                ["village"] = "Paliwara",
                ["district"] = ProgrammeSpec.District,
            }, ct);
            traineeIds.Add(trainee.Required("personId", "register trainee"));
            await api.EnrolAsync(programmeId, traineeIds[^1], ct);
        }
        await api.ActivateProgrammeAsync(programmeId, ct);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var progress = await api.GetProgressAsync(programmeId, null, ct);
                if (progress.Array("trainees").Count(t => traineeIds.Contains(t.Str("traineeId"))) == traineeIds.Count)
                {
                    return (programmeId, traineeIds[0]);
                }
            }
            catch (Bimtek.Scenarios.ScenarioFailure) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                // The coordinator has not heard of the programme yet (NOT_FOUND): its outbox is on the way.
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the coordinator did not receive the enrolment within 30 s");
            await Task.Delay(200, ct);
        }
    }
}

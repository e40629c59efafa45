using Bimtek.Coordinator.V1;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.Offices;
using Grpc.Core;
using static Bimtek.Testing.Offices.OfficeWorld;
using Client = Bimtek.Coordinator.V1.QuotaService.QuotaServiceClient;

namespace Bimtek.Coordinator.Tests.Api;

/// <summary>
/// Offices reach the coordinator, learnt from the real participants service: an operator of another district can
/// neither read nor change a programme's quotas, progress and overrides; the district's own operator and the
/// province's can; another office's programme gets the same answer as one that does not exist.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OfficeTests
{
    // Trainee ids are UUIDs as participants issues them (the quota routes refuse anything else with MALFORMED_ID).
    private static string T1 { get; } = Guid.NewGuid().ToString();
    private static string T2 { get; } = Guid.NewGuid().ToString();

    private static readonly Google.Type.Date _day10 = new() { Year = 2026, Month = 3, Day = 10 };

    [Theory, BothDatabases]
    public async Task Another_districts_operator_is_refused_a_programmes_quotas_and_the_province_reads_them(DatabaseKind kind)
    {
        await using var world = await OfficeWorld.StartAsync(kind, "coordinator-offices");
        using var database = await TestDatabase.CreateAsync(kind, "coordinator-offices");
        await using var host = CoordinatorHost.Start(database, Configuration, downstream: world.Route());
        var hsuProgramme = new Requests(await world.CreateProgrammeAsync(Hsu));
        var hstProgramme = new Requests(await world.CreateProgrammeAsync(Hst));
        var relay = host.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Service("participants"));
        foreach (var r in new[] { hsuProgramme, hstProgramme })
        {
            await relay.ApplyProgrammeChangeAsync(new ApplyProgrammeChangeRequest { RequestId = Requests.Id(), Programme = r.Snapshot() });
            await relay.ApplyEnrolmentChangeAsync(r.Enrol(T1, 1));
            await relay.ApplyEnrolmentChangeAsync(r.Enrol(T2, 2));
        }
        var ofHsu = hsuProgramme.ProgrammeId;
        var hsu = host.Client<Client>(OperatorOf(Hsu));
        var hst = host.Client<Client>(OperatorOf(Hst));
        var province = host.Client<Client>(OperatorOf(Province));

        // HST: every read and change of HSU's programme is refused, exactly like a programme that does not exist.
        var unknown = Requests.Id();
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = id, AsOfDay = _day10 }).ResponseAsync, ofHsu, unknown);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.GetTraineeProgressAsync(new GetTraineeProgressRequest { ProgrammeId = id, TraineeId = T1, AsOfDay = _day10 }).ResponseAsync, ofHsu, unknown);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.OverrideQuotaAsync(Override(id, 40)).ResponseAsync, ofHsu, unknown);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.ClearQuotaOverrideAsync(new ClearQuotaOverrideRequest { RequestId = Requests.Id(), ProgrammeId = id, TraineeId = T1 }).ResponseAsync, ofHsu, unknown);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.EvaluatePaceAsync(new EvaluatePaceRequest { RequestId = Requests.Id(), ProgrammeId = id }).ResponseAsync, ofHsu, unknown);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.BatchGetProgrammeSummariesAsync(new BatchGetProgrammeSummariesRequest { ProgrammeIds = { hstProgramme.ProgrammeId, id } }).ResponseAsync, ofHsu, unknown);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied, async id =>
        {
            using var call = hst.WatchProgrammeProgress(new WatchProgrammeProgressRequest { ProgrammeId = id });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        }, ofHsu, unknown);
        // HST's own programme is HST's business.
        Assert.Single((await hst.BatchGetProgrammeSummariesAsync(new BatchGetProgrammeSummariesRequest { ProgrammeIds = { hstProgramme.ProgrammeId } })).Summaries);

        // HSU overrides a quota of its programme; HSU and the province read it, and the province overrides too.
        Assert.Equal(new[] { 40, 20 }, (await hsu.OverrideQuotaAsync(Override(ofHsu, 40))).Trainees.Select(t => t.Quota));
        foreach (var reader in new[] { hsu, province })
        {
            var progress = await reader.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = ofHsu, AsOfDay = _day10 });
            Assert.Equal(new[] { 40, 20 }, progress.Trainees.Select(t => t.Quota));
        }
        Assert.Equal(new[] { 30, 30 }, (await province.ClearQuotaOverrideAsync(new ClearQuotaOverrideRequest { RequestId = Requests.Id(), ProgrammeId = ofHsu, TraineeId = T1 }))
            .Trainees.Select(t => t.Quota));
        Assert.Equal(2, (await province.BatchGetProgrammeSummariesAsync(new BatchGetProgrammeSummariesRequest { ProgrammeIds = { ofHsu, hstProgramme.ProgrammeId } })).Summaries.Count);
    }

    private static OverrideQuotaRequest Override(string programmeId, int quota) => new()
    {
        RequestId = Requests.Id(),
        ProgrammeId = programmeId,
        TraineeId = T1,
        Quota = quota,
        Reason = "penjahit berpengalaman",
    };
}

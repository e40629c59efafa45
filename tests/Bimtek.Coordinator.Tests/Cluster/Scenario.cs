using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Tests.Cluster;

/// <summary>Builds effects the way participants' and production's relays send them.</summary>
public sealed class Scenario(IGrainFactory grains, string? programmeId = null)
{
    public string ProgrammeId { get; } = programmeId ?? "prog-" + Guid.NewGuid().ToString("N")[..10];

    public ProgrammeInfo Info { get; set; } = new(1, "MASK", 500, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 30), "Asia/Makassar", ProgrammePhase.Active);

    public IProgrammeGrain Programme => grains.GetGrain<IProgrammeGrain>(GrainKeys.Programme(ProgrammeId));

    public ITraineeQuotaGrain Trainee(string traineeId) => grains.GetGrain<ITraineeQuotaGrain>(GrainKeys.Trainee(ProgrammeId, traineeId));

    public static string Id() => Guid.NewGuid().ToString();

    public Task<EffectResult> Enrol(string traineeId, int sequence, string? requestId = null) =>
        Programme.ApplyEnrolmentChange(new EnrolmentChange(requestId ?? Id(), "enrol:" + traineeId, Info, traineeId, "enr-" + traineeId, false, sequence, DateTime.UtcNow));

    public Task<EffectResult> Withdraw(string traineeId, int sequence, string? requestId = null) =>
        Programme.ApplyEnrolmentChange(new EnrolmentChange(requestId ?? Id(), "withdraw:" + traineeId, Info, traineeId, "enr-" + traineeId, true, sequence, DateTime.UtcNow));

    public async Task EnrolMany(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(EffectOutcome.Applied, (await Enrol($"t{i}", i)).Outcome);
        }
    }

    public Task<EffectResult> Output(string traineeId, int units, string? requestId = null, DateOnly? day = null) =>
        Trainee(traineeId).ApplyOutput(new OutputRecorded(requestId ?? Id(), $"out:{units}", "rep-" + Guid.NewGuid().ToString("N")[..6], day ?? Info.StartDay, units, false));

    public Task<EffectResult> Inspect(string traineeId, int accepted, int rejected, string? requestId = null, DateOnly? day = null) =>
        Trainee(traineeId).ApplyInspection(new InspectionResult(requestId ?? Id(), $"insp:{accepted}:{rejected}", "insp", day ?? Info.StartDay, accepted + rejected, accepted, rejected, 0));

    public async Task<ProgrammeProgressView> Progress(DateOnly? day = null) =>
        await Programme.GetProgress(day ?? Info.StartDay) ?? throw new InvalidOperationException("programme unknown");

    public async Task<int[]> Quotas() => (await Progress()).Trainees.Select(t => t.Quota).ToArray();
}

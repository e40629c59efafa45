using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class AllocationGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Sixty_ppe_sets_over_seven_trainees()
    {
        var s = new Scenario(fixture.Grains) { Info = new ProgrammeInfo(1, "PPE", 60, new(2026, 3, 1), new(2026, 3, 30), "Asia/Makassar", ProgrammePhase.Active) };
        await s.EnrolMany(7);
        Assert.Equal(new[] { 9, 9, 9, 9, 8, 8, 8 }, await s.Quotas());
        Assert.Equal(7, (await s.Progress()).Summary.TraineeCount);
    }

    [Fact]
    public async Task Five_hundred_masks_over_five_trainees_enrolled_out_of_order()
    {
        var s = new Scenario(fixture.Grains);
        foreach (var i in new[] { 4, 2, 5, 1, 3 })
        {
            await s.Enrol($"t{i}", i);
        }
        var progress = await s.Progress();
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], progress.Trainees.Select(t => t.TraineeId));
        Assert.All(progress.Trainees, t => Assert.Equal(100, t.Quota));
    }

    [Fact]
    public async Task Withdrawal_keeps_accepted_units_and_respreads_the_rest()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(5);
        Assert.Equal(EffectOutcome.Applied, (await s.Output("t3", 50)).Outcome);
        Assert.Equal(EffectOutcome.Applied, (await s.Inspect("t3", 42, 8)).Outcome);
        await s.Withdraw("t3", 3);
        var progress = await s.Progress();
        Assert.Equal([115, 115, 42, 114, 114], progress.Trainees.Select(t => t.Quota));
        Assert.True(progress.Trainees[2].Withdrawn);
        Assert.Equal(4, progress.Summary.TraineeCount);
        Assert.Equal(42, progress.Summary.Accepted);
        Assert.Equal(500, progress.Trainees.Sum(t => t.Quota));
    }

    [Fact]
    public async Task An_override_survives_a_new_enrolment_and_bad_overrides_are_refused()
    {
        var s = new Scenario(fixture.Grains) { Info = new ProgrammeInfo(1, "PPE", 60, new(2026, 3, 1), new(2026, 3, 30), "Asia/Makassar", ProgrammePhase.Active) };
        await s.EnrolMany(7);
        var set = await s.Programme.SetOverride(new QuotaOverride(Scenario.Id(), "o", "t7", 20, "fast sewer"));
        Assert.Equal(EffectOutcome.Applied, set.Outcome);
        Assert.Equal(new[] { 7, 7, 7, 7, 6, 6, 20 }, await s.Quotas());

        await s.Enrol("t8", 8);
        Assert.Equal(new[] { 6, 6, 6, 6, 6, 5, 20, 5 }, await s.Quotas());
        Assert.True((await s.Progress()).Trainees[6].Overridden);

        Assert.Equal(EffectOutcome.TraineeNotEnrolled, (await s.Programme.SetOverride(new QuotaOverride(Scenario.Id(), "x", "nobody", 1, "r"))).Outcome);
        Assert.Equal(EffectOutcome.Refused, (await s.Programme.SetOverride(new QuotaOverride(Scenario.Id(), "y", "t1", 61, "r"))).Outcome);

        Assert.Equal(EffectOutcome.Applied, (await s.Programme.SetOverride(new QuotaOverride(Scenario.Id(), "c", "t7", null, "clear"))).Outcome);
        Assert.Equal(new[] { 8, 8, 8, 8, 7, 7, 7, 7 }, await s.Quotas());
    }

    [Fact]
    public async Task A_withdrawal_that_arrives_before_its_enrolment_wins()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(2);
        await s.Withdraw("t3", 3);
        await s.Enrol("t3", 3);
        var progress = await s.Progress();
        Assert.True(progress.Trainees.Single(t => t.TraineeId == "t3").Withdrawn);
        Assert.Equal([250, 250, 0], progress.Trainees.Select(t => t.Quota));
    }

    [Fact]
    public async Task An_older_programme_revision_is_acknowledged_and_ignored()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(2);
        var newer = s.Info with { Revision = 5, TargetQuantity = 600 };
        Assert.Equal(EffectOutcome.Applied, (await s.Programme.ApplyProgrammeChange(new ProgrammeChange(Scenario.Id(), "p5", newer))).Outcome);
        var older = s.Info with { Revision = 4, TargetQuantity = 10 };
        Assert.Equal(EffectOutcome.Superseded, (await s.Programme.ApplyProgrammeChange(new ProgrammeChange(Scenario.Id(), "p4", older))).Outcome);
        Assert.Equal(new[] { 300, 300 }, await s.Quotas());
    }
}

using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class EffectTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_same_effect_three_times_concurrently_counts_once()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(1);
        var id = Scenario.Id();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => s.Output("t1", 7, id)));
        Assert.Single(results, r => r.Outcome == EffectOutcome.Applied);
        Assert.Equal(2, results.Count(r => r.Outcome == EffectOutcome.Duplicate));

        var inspection = Scenario.Id();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => s.Inspect("t1", 5, 2, inspection)));
        var counters = await s.Trainee("t1").GetCounters();
        Assert.Equal((7, 5, 2, 0), (counters.Produced, counters.Accepted, counters.Rejected, counters.AwaitingInspection));
    }

    [Fact]
    public async Task Fifty_concurrent_same_id_calls_apply_once()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(1);
        var id = Scenario.Id();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => s.Output("t1", 3, id)));
        Assert.Equal(3, (await s.Trainee("t1").GetCounters()).Produced);
    }

    [Fact]
    public async Task A_reused_request_id_with_another_payload_is_refused()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(1);
        var id = Scenario.Id();
        await s.Output("t1", 3, id);
        Assert.Equal(EffectOutcome.RequestIdReused, (await s.Output("t1", 4, id)).Outcome);
    }

    [Fact]
    public async Task An_inspection_before_its_output_report_converges()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(1);
        await s.Inspect("t1", 9, 1);
        await s.Output("t1", 10);
        var counters = await s.Trainee("t1").GetCounters();
        Assert.Equal((10, 9, 1, 0), (counters.Produced, counters.Accepted, counters.Rejected, counters.AwaitingInspection));
        var detail = await s.Trainee("t1").GetDetail();
        Assert.Equal(new DailyFigures(s.Info.StartDay, 10, 9, 1), Assert.Single(detail.Days));
    }

    [Fact]
    public async Task Rework_moves_units_from_rejected_back_to_inspection()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(1);
        await s.Output("t1", 10);
        await s.Inspect("t1", 6, 4);
        await s.Trainee("t1").ApplyOutput(new OutputRecorded(Scenario.Id(), "rw", "rep", s.Info.StartDay, 3, true));
        var counters = await s.Trainee("t1").GetCounters();
        Assert.Equal((10, 6, 1, 3), (counters.Produced, counters.Accepted, counters.Rejected, counters.AwaitingInspection));
    }

    [Fact]
    public async Task Effects_for_unknown_programmes_and_trainees_are_refused()
    {
        var s = new Scenario(fixture.Grains);
        Assert.Equal(EffectOutcome.ProgrammeNotFound, (await s.Output("t1", 1)).Outcome);
        await s.EnrolMany(1);
        Assert.Equal(EffectOutcome.TraineeNotEnrolled, (await s.Output("stranger", 1)).Outcome);
        // Once enrolment arrives, the same effect (the outbox retries it) applies.
        var id = Scenario.Id();
        Assert.Equal(EffectOutcome.TraineeNotEnrolled, (await s.Output("t2", 4, id)).Outcome);
        await s.Enrol("t2", 2);
        Assert.Equal(EffectOutcome.Applied, (await s.Output("t2", 4, id)).Outcome);
    }

    [Fact]
    public async Task Programme_totals_follow_trainee_effects()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(3);
        await s.Output("t1", 10);
        await s.Output("t2", 5);
        await s.Inspect("t1", 8, 2);
        var summary = (await s.Progress()).Summary;
        Assert.Equal((15, 8, 2, 5), (summary.Produced, summary.Accepted, summary.Rejected, summary.AwaitingInspection));
        Assert.Equal(1, summary.PercentAccepted);
    }

    [Fact]
    public async Task Counters_survive_deactivation_of_both_grains()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(2);
        await s.Output("t2", 12);
        await fixture.Cluster.DeactivateAsync(s.Programme);
        await fixture.Cluster.DeactivateAsync(s.Trainee("t2"));
        var progress = await s.Progress();
        Assert.Equal(12, progress.Trainees[1].Counters.Produced);
        Assert.Equal([250, 250], progress.Trainees.Select(t => t.Quota));
    }
}

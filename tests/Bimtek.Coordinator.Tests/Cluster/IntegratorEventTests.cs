using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;

namespace Bimtek.Coordinator.Tests.Cluster;

/// <summary>
/// Quota changes and programme completions for integrators: kept in the programme grain's state with the change, then
/// delivered to notifications in order, each once, also after notifications was down for a while.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IntegratorEventTests(ClusterFixture fixture)
{
    private static ProgrammeInfo Ppe(ProgrammePhase phase, long revision = 1) =>
        new(revision, "PPE", 60, new(2026, 3, 1), new(2026, 3, 30), "Asia/Makassar", phase, "BIMTEK-APD-2026");

    /// <summary>Waits for <paramref name="condition"/>, moving the fake clock along (grain timers may run on it).</summary>
    private async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            fixture.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task An_override_tells_each_moved_quota_once_in_order_after_notifications_was_down()
    {
        var s = new Scenario(fixture.Grains) { Info = Ppe(ProgrammePhase.Draft) };
        await s.EnrolMany(3);
        // A draft's quotas are not in force: nothing is told until the programme is active, then every quota.
        Assert.Empty(fixture.Events.Of(s.ProgrammeId));
        s.Info = Ppe(ProgrammePhase.Active, revision: 2);
        Assert.Equal(EffectOutcome.Applied, (await s.Programme.ApplyProgrammeChange(new ProgrammeChange(Scenario.Id(), "activate", s.Info))).Outcome);
        await EventuallyAsync(() => fixture.Events.Of(s.ProgrammeId).Count == 3, "the allocation told");
        Assert.Equal([("t1", 0, 20, "allocation"), ("t2", 0, 20, "allocation"), ("t3", 0, 20, "allocation")],
            fixture.Events.Of(s.ProgrammeId).Select(e => (e.TraineeId, e.PreviousQuota, e.Quota, e.Reason)));

        fixture.Events.Down = true;
        var failedBefore = fixture.Events.FailedCalls;
        var change = new QuotaOverride(Scenario.Id(), "override:t1:30", "t1", 30, "sakit dua minggu");
        Assert.Equal(EffectOutcome.Applied, (await s.Programme.SetOverride(change)).Outcome);
        Assert.Equal(EffectOutcome.Duplicate, (await s.Programme.SetOverride(change)).Outcome);
        await EventuallyAsync(() => fixture.Events.FailedCalls >= failedBefore + 2, "deliveries tried while notifications is down");
        Assert.Equal(3, fixture.Events.Of(s.ProgrammeId).Count);

        fixture.Events.Down = false;
        await EventuallyAsync(() => fixture.Events.Of(s.ProgrammeId).Count >= 6, "the override's changes told");
        await Task.Delay(300);
        var told = fixture.Events.Of(s.ProgrammeId);
        Assert.Equal(6, told.Count);
        Assert.Equal([("t1", 20, 30, "override"), ("t2", 20, 15, "override"), ("t3", 20, 15, "override")],
            told.Skip(3).Select(e => (e.TraineeId, e.PreviousQuota, e.Quota, e.Reason)));
        Assert.Equal(6, told.Select(e => e.EventId).Distinct().Count());
        Assert.All(told, e => Assert.Equal(IntegratorEventKind.QuotaChanged, e.Kind));
    }

    [Fact]
    public async Task A_withdrawal_and_the_programmes_completion_are_told_with_the_accepted_units()
    {
        var s = new Scenario(fixture.Grains) { Info = Ppe(ProgrammePhase.Active) };
        await s.EnrolMany(3);
        Assert.Equal(EffectOutcome.Applied, (await s.Output("t2", 12)).Outcome);
        Assert.Equal(EffectOutcome.Applied, (await s.Inspect("t2", 10, 2)).Outcome);
        await EventuallyAsync(() => fixture.Events.Of(s.ProgrammeId).Count == 6, "enrolments told"); // 1 + 2 + 3 quotas moved
        await s.Withdraw("t2", 2);
        await EventuallyAsync(() => fixture.Events.Of(s.ProgrammeId).Count == 9, "the withdrawal told");
        Assert.Equal([("t1", 20, 25, "withdrawal"), ("t2", 20, 10, "withdrawal"), ("t3", 20, 25, "withdrawal")],
            fixture.Events.Of(s.ProgrammeId).Skip(6).Select(e => (e.TraineeId, e.PreviousQuota, e.Quota, e.Reason)));

        s.Info = Ppe(ProgrammePhase.Completed, revision: 2);
        Assert.Equal(EffectOutcome.Applied, (await s.Programme.ApplyProgrammeChange(new ProgrammeChange(Scenario.Id(), "complete", s.Info))).Outcome);
        await EventuallyAsync(() => fixture.Events.Of(s.ProgrammeId).Count == 10, "the completion told");
        var completed = fixture.Events.Of(s.ProgrammeId)[^1];
        Assert.Equal((IntegratorEventKind.ProgrammeCompleted, "BIMTEK-APD-2026", 60, 10), (completed.Kind, completed.ProgrammeCode, completed.TargetUnits, completed.AcceptedUnits));
    }
}

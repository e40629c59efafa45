using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Coordinator.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PaceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Pace_flags_lagging_trainees_as_of_a_day()
    {
        var s = new Scenario(fixture.Grains) { Info = new ProgrammeInfo(1, "PPE", 60, new(2026, 3, 1), new(2026, 3, 30), "Asia/Makassar", ProgrammePhase.Draft) };
        await s.EnrolMany(2);
        await s.Output("t1", 10);
        var progress = await s.Progress(new DateOnly(2026, 3, 10));
        // Quota 30 each; by day 10 of 30 → 10 expected. t1 has 10 awaiting inspection, t2 nothing.
        Assert.Equal(10, progress.Trainees[0].ExpectedByDay);
        Assert.False(progress.Trainees[0].BehindSchedule);
        Assert.True(progress.Trainees[1].BehindSchedule);
        Assert.Equal(20, progress.Summary.ExpectedByDay);
    }

    [Fact]
    public async Task The_daily_check_asks_for_help_once_per_behind_spell_and_the_reminder_is_registered()
    {
        var s = new Scenario(fixture.Grains) { Info = new ProgrammeInfo(1, "MASK", 500, new(2026, 3, 1), new(2026, 3, 30), "Asia/Makassar", ProgrammePhase.Active) };
        await s.EnrolMany(2);
        await s.Output("t1", 40);

        // The fixture's clock: 2026-03-01 02:00 UTC = 10:00 in Makassar; advance to day 5.
        fixture.Time.SetUtcNow(new DateTimeOffset(2026, 3, 5, 2, 0, 0, TimeSpan.Zero));
        await s.Programme.RunDailyPaceCheck();
        await s.Programme.RunDailyPaceCheck();
        var notices = fixture.Assistance.Notices.Where(n => n.ProgrammeId == s.ProgrammeId).ToList();
        var notice = Assert.Single(notices);
        Assert.Equal(("t2", new DateOnly(2026, 3, 5), 0, 42, 250), (notice.TraineeId, notice.Day, notice.DoneUnits, notice.ExpectedUnits, notice.Quota));

        fixture.Time.SetUtcNow(new DateTimeOffset(2026, 3, 6, 2, 0, 0, TimeSpan.Zero));
        await s.Programme.RunDailyPaceCheck();
        Assert.Single(fixture.Assistance.Notices, n => n.ProgrammeId == s.ProgrammeId);
        var row = (await s.Progress(new DateOnly(2026, 3, 6))).Trainees[1];
        Assert.Equal(new DateOnly(2026, 3, 5), row.BehindSince);

        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var grainId = s.Programme.GetGrainId();
        var rows = await reminders.ReadRows(grainId);
        Assert.Contains(rows.Reminders, r => r.ReminderName == StorageNames.PaceReminder && r.Period == TimeSpan.FromDays(1));

        // Completion stops the daily check.
        await s.Programme.ApplyProgrammeChange(new ProgrammeChange(Scenario.Id(), "done", s.Info with { Revision = 2, Phase = ProgrammePhase.Completed }));
        rows = await reminders.ReadRows(grainId);
        Assert.DoesNotContain(rows.Reminders, r => r.ReminderName == StorageNames.PaceReminder);
    }
}

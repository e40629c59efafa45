using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Grains.State;

namespace Bimtek.Coordinator.Tests.Domain;

/// <summary>A programme's progress built from its state without a grain, and the pace spell rule.</summary>
public sealed class ProgressViewTests
{
    private static DateOnly Start { get; } = new(2026, 3, 1);
    private static DateTime At { get; } = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Rows_take_each_trainees_latest_enrolment_their_quota_and_pace_and_the_summary_sums_them()
    {
        var state = new ProgrammeState
        {
            Info = new ProgrammeInfo(1, "MASK", 60, Start, Start.AddDays(29), "Asia/Makassar", ProgrammePhase.Active),
            Enrolments =
            {
                ["e1"] = new EnrolmentRecord("ani", 1, false, At),
                ["e2"] = new EnrolmentRecord("budi", 2, true, At),
                ["e3"] = new EnrolmentRecord("citra", 3, true, At),
                ["e4"] = new EnrolmentRecord("budi", 4, false, At), // budi came back: the latest enrolment counts
            },
            Overrides = { ["ani"] = new OverrideRecord(20, "faster sewer", At) },
            Pace = { ["ani"] = new PaceRecord(Start.AddDays(7), null) },
        };
        var counters = new Dictionary<string, TraineeCounters>
        {
            ["ani"] = TraineeCounters.Zero with { Accepted = 1, Produced = 2, Rejected = 1 },
            ["citra"] = TraineeCounters.Zero with { Accepted = 5, Produced = 5 },
        };
        var day = Start.AddDays(9); // programme day 10 of 30

        var view = ProgressView.Build("p1", state, counters, new PaceOptions { MarginPercent = 10 }, day, At);

        Assert.Equal(["ani", "citra", "budi"], view.Trainees.Select(t => t.TraineeId));
        var (ani, citra, budi) = (view.Trainees[0], view.Trainees[1], view.Trainees[2]);
        // The override holds; the withdrawn trainee keeps what she made; the rest goes to the others.
        Assert.Equal((20, true, 7, true, Start.AddDays(7)), (ani.Quota, ani.Overridden, ani.ExpectedByDay, ani.BehindSchedule, ani.BehindSince));
        Assert.Equal((5, 0, false, (DateOnly?)null), (citra.Quota, citra.ExpectedByDay, citra.BehindSchedule, citra.BehindSince));
        Assert.Equal((35, 12, true, (DateOnly?)null), (budi.Quota, budi.ExpectedByDay, budi.BehindSchedule, budi.BehindSince));
        Assert.Equal(60, view.Trainees.Sum(t => t.Quota));

        var s = view.Summary;
        Assert.Equal((2, 7, 6, 1, 20, 10, 2, day), (s.TraineeCount, s.Produced, s.Accepted, s.Rejected, s.ExpectedByDay, s.PercentAccepted, s.BehindScheduleCount, s.AsOfDay));
        Assert.Equal(["budi"], ProgressView.Build("p1", state, counters, new PaceOptions(), day, At, onlyTrainee: "budi").Trainees.Select(t => t.TraineeId));
    }

    [Fact]
    public void A_spell_starts_on_the_first_day_behind_keeps_it_and_needs_one_request()
    {
        var day1 = Start;
        var onTrack = new PaceRecord(null, null);
        var behind = Pace.NextSpell(onTrack, behind: true, day1);
        Assert.Equal(day1, behind.BehindSince);
        Assert.True(Pace.NeedsAssistanceRequest(behind));

        var requested = behind with { RequestedForSpell = day1 };
        var stillBehind = Pace.NextSpell(requested, behind: true, day1.AddDays(1));
        Assert.Equal(day1, stillBehind.BehindSince);
        Assert.False(Pace.NeedsAssistanceRequest(stillBehind));

        var back = Pace.NextSpell(stillBehind, behind: false, day1.AddDays(2));
        Assert.Null(back.BehindSince);
        Assert.False(Pace.NeedsAssistanceRequest(back));
        // A new spell needs its own request.
        Assert.True(Pace.NeedsAssistanceRequest(Pace.NextSpell(back, behind: true, day1.AddDays(5))));
    }
}

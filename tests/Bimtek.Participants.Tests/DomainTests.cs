using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Tests;

/// <summary>The rules as plain code, without a host.</summary>
public sealed class DomainTests
{
    [Fact]
    public void Progress_merging_is_monotonic_whatever_the_order_of_reports()
    {
        var reports = new[] { new ProgressReport(300, 50, 1_000), new ProgressReport(560, 93, 3_000), new ProgressReport(100, 10, 500), new ProgressReport(560, 93, 3_000) };
        foreach (var order in new[] { reports, reports.Reverse().ToArray(), [reports[2], reports[0], reports[3], reports[1]] })
        {
            ProgressState? state = null;
            var previous = 0;
            foreach (var report in order)
            {
                state = LessonProgressMerge.Merge(state, report, 90, nowMs: 42);
                Assert.True(state.Percent >= previous);
                previous = state.Percent;
            }
            Assert.Equal(new ProgressState(560, 93, true, 3_000, 42), state);
        }
        var notYet = LessonProgressMerge.Merge(null, new ProgressReport(10, 89, 1), 90, 7);
        Assert.False(notYet.Completed);
        Assert.Null(notYet.CompletedAtMs);
    }

    [Fact]
    public void Minors_are_judged_in_the_programme_start_year_and_need_consent()
    {
        Assert.True(GuardianPolicy.IsMinorIn(2020, 2004));
        Assert.False(GuardianPolicy.IsMinorIn(2020, 2002));
        var error = Assert.Throws<PreconditionException>(() => GuardianPolicy.EnsureMayEnrol("t", 2004, "Ibu", guardianConsent: false, programmeStartYear: 2020));
        Assert.Equal(Reasons.GuardianConsentMissing, error.Reason);
        GuardianPolicy.EnsureMayEnrol("t", 2004, "Ibu", guardianConsent: true, programmeStartYear: 2020);
        GuardianPolicy.EnsureMayEnrol("t", 2000, null, guardianConsent: false, programmeStartYear: 2020);
    }

    [Fact]
    public void The_lifecycle_allows_only_its_transitions()
    {
        Assert.Equal(ProgrammeState.Active, ProgrammeLifecycle.Activate("p", ProgrammeState.Draft, 1));
        Assert.Equal(Reasons.ProgrammeWithoutInstructor, Assert.Throws<PreconditionException>(() => ProgrammeLifecycle.Activate("p", ProgrammeState.Draft, 0)).Reason);
        Assert.Equal(Reasons.ProgrammeNotDraft, Assert.Throws<PreconditionException>(() => ProgrammeLifecycle.Activate("p", ProgrammeState.Cancelled, 1)).Reason);
        Assert.Equal(ProgrammeState.Completed, ProgrammeLifecycle.Complete("p", ProgrammeState.Active));
        Assert.Throws<PreconditionException>(() => ProgrammeLifecycle.Complete("p", ProgrammeState.Draft));
        Assert.Equal(ProgrammeState.Cancelled, ProgrammeLifecycle.Cancel("p", ProgrammeState.Draft));
        Assert.Throws<PreconditionException>(() => ProgrammeLifecycle.Cancel("p", ProgrammeState.Completed));
        Assert.Equal(Reasons.ProgrammeAtCapacity, Assert.Throws<PreconditionException>(() => ProgrammeLifecycle.EnsureSeatFree("p", 7, 7)).Reason);
        ProgrammeLifecycle.EnsureSeatFree("p", 6, 7);
    }

    [Fact]
    public void Only_a_scheduled_visit_moves_or_cancels_and_a_move_names_another_slot_from_today_on()
    {
        Assert.Equal(VisitState.Scheduled, HomeVisitRules.StateOf(outcome: 0, cancelledAt: null));
        Assert.Equal(VisitState.Done, HomeVisitRules.StateOf(outcome: 1, cancelledAt: null));
        Assert.Equal(VisitState.Cancelled, HomeVisitRules.StateOf(outcome: 0, cancelledAt: 42));
        HomeVisitRules.EnsureScheduled("v", VisitState.Scheduled);
        Assert.Equal(Reasons.VisitAlreadyLogged, Assert.Throws<PreconditionException>(() => HomeVisitRules.EnsureScheduled("v", VisitState.Done)).Reason);
        Assert.Equal(Reasons.VisitCancelled, Assert.Throws<PreconditionException>(() => HomeVisitRules.EnsureScheduled("v", VisitState.Cancelled)).Reason);

        var today = new DateOnly(2020, 5, 19);
        var booked = new VisitSlot(today, 9 * 3600, 11 * 3600);
        HomeVisitRules.EnsureMayMove(booked, booked with { WindowStartSeconds = 13 * 3600, WindowEndSeconds = 15 * 3600 }, today);
        HomeVisitRules.EnsureMayMove(booked, booked with { Day = today.AddDays(1) }, today);
        Assert.Throws<ValidationException>(() => HomeVisitRules.EnsureMayMove(booked, booked, today));
        Assert.Throws<ValidationException>(() => HomeVisitRules.EnsureMayMove(booked, booked with { Day = today.AddDays(-1) }, today));
        Assert.Throws<ValidationException>(() => HomeVisitRules.EnsureMayMove(booked, booked with { WindowEndSeconds = 9 * 3600 }, today));
    }
}

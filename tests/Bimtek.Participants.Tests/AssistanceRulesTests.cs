using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Tests;

/// <summary>An assistance request's rules as plain code (Domain/AssistanceRules.cs), without a host.</summary>
public sealed class AssistanceRulesTests
{
    [Fact]
    public void Only_an_open_request_takes_a_visit_and_the_refusal_names_why()
    {
        AssistanceRules.EnsureOpenForVisit("a", AssistanceState.Open);
        var scheduled = Assert.Throws<PreconditionException>(() => AssistanceRules.EnsureOpenForVisit("a", AssistanceState.VisitScheduled));
        Assert.Equal(Reasons.VisitAlreadyScheduled, scheduled.Reason);
        Assert.Equal("The assistance request is VisitScheduled, not open.", scheduled.Message);
        Assert.Equal(Reasons.AssistanceRequestClosed, Assert.Throws<PreconditionException>(() => AssistanceRules.EnsureOpenForVisit("a", AssistanceState.Resolved)).Reason);
        Assert.Equal(Reasons.AssistanceRequestClosed, Assert.Throws<PreconditionException>(() => AssistanceRules.EnsureOpenForVisit("a", AssistanceState.Closed)).Reason);
    }

    [Fact]
    public void The_visitor_is_an_instructor_on_a_day_not_yet_past()
    {
        AssistanceRules.EnsureVisitorIsInstructor("i", assignedAsInstructor: true);
        Assert.Equal(Reasons.NotAnInstructorOfProgramme,
            Assert.Throws<PreconditionException>(() => AssistanceRules.EnsureVisitorIsInstructor("i", assignedAsInstructor: false)).Reason);
        var today = new DateOnly(2026, 12, 6);
        AssistanceRules.EnsureVisitDayNotPast(today, today);
        AssistanceRules.EnsureVisitDayNotPast(today.AddDays(1), today);
        Assert.Equal("day", Assert.Throws<ValidationException>(() => AssistanceRules.EnsureVisitDayNotPast(today.AddDays(-1), today)).Violations.Single().Field);
    }

    [Theory]
    [InlineData(VisitFinding.Resolved, AssistanceState.Resolved, true)]
    [InlineData(VisitFinding.TraineeWithdrew, AssistanceState.Closed, true)]
    [InlineData(VisitFinding.NeedsAnotherVisit, AssistanceState.Open, false)]
    public void A_logged_visit_settles_the_request(VisitFinding finding, AssistanceState state, bool closes) =>
        Assert.Equal((state, closes), AssistanceRules.AfterVisit(finding));

    [Fact]
    public void A_behind_schedule_request_says_how_far_behind() =>
        Assert.Equal("Behind schedule on 2026-12-06: 3 of 10 units expected by then (quota 40).",
            AssistanceRules.BehindScheduleDescription("2026-12-06", 3, 10, 40));
}

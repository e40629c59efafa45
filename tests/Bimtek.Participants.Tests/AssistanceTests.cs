using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

public sealed class AssistanceTests
{
    private static Google.Type.TimeOfDay At(int hours) => new() { Hours = hours };

    [Theory, BothDatabases]
    public async Task A_request_is_opened_visited_and_resolved_and_lists_follow(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, instructor, instructorClient) = await h.ActiveProgrammeAsync();
        var siti = await h.RegisterTraineeAsync("Siti", subject: "siti");
        var budi = await h.RegisterTraineeAsync("Budi", subject: "budi");
        await h.EnrolAsync(programme.ProgrammeId, siti.PersonId);
        await h.EnrolAsync(programme.ProgrammeId, budi.PersonId);
        var sitiClient = h.As("siti", Roles.Trainee);

        var mine = await sitiClient.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = siti.PersonId, ProductStep = "ear loops", Description = "Talinya selalu lepas" });
        Assert.Equal(AssistanceOrigin.Trainee, mine.Origin);
        Assert.Equal(AssistanceStatus.Open, mine.Status);
        var forBudi = await instructorClient.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = budi.PersonId, ProductStep = "cutting", Description = "Pola miring" });
        Assert.Equal(AssistanceOrigin.Staff, forBudi.Origin);

        // A trainee opens only for themself, and reads only their own.
        await Errors.DeniedAsync(sitiClient.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = budi.PersonId, ProductStep = "x", Description = "x" }));
        await Errors.DeniedAsync(sitiClient.GetAssistanceRequestAsync(new GetAssistanceRequestRequest { AssistanceRequestId = forBudi.AssistanceRequestId }));
        await Errors.DeniedAsync(sitiClient.GetAssistanceRequestAsync(new GetAssistanceRequestRequest { AssistanceRequestId = NewId() }));
        await Errors.DeniedAsync(sitiClient.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest { ProgrammeId = programme.ProgrammeId }));
        Assert.Single((await sitiClient.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest { TraineeId = siti.PersonId })).AssistanceRequests);
        await Errors.InvalidAsync(sitiClient.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = siti.PersonId, Description = "" }), "lesson_id", "description");

        // Both open requests show for the programme and for its instructor.
        var open = await h.Operator.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest { ProgrammeId = programme.ProgrammeId, Status = AssistanceStatus.Open });
        Assert.Equal([mine.AssistanceRequestId, forBudi.AssistanceRequestId], open.AssistanceRequests.Select(a => a.AssistanceRequestId));
        Assert.Equal(2, (await instructorClient.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest
        { InstructorId = instructor.PersonId, Status = AssistanceStatus.Open })).AssistanceRequests.Count);

        // The instructor schedules a visit, then logs it.
        var tomorrow = Day(TodayInMakassar().AddDays(1));
        var schedule = new ScheduleHomeVisitRequest
        {
            RequestId = NewId(),
            AssistanceRequestId = mine.AssistanceRequestId,
            InstructorId = instructor.PersonId,
            Day = tomorrow,
            WindowStart = At(9),
            WindowEnd = At(11),
            Address = "Jl. Basuki Rahmat, Paliwara, Amuntai",
        };
        var visit = await instructorClient.ScheduleHomeVisitAsync(schedule);
        Assert.Equal(visit, await instructorClient.ScheduleHomeVisitAsync(schedule)); // replay
        Assert.Equal(AssistanceStatus.VisitScheduled, (await sitiClient.GetAssistanceRequestAsync(new GetAssistanceRequestRequest { AssistanceRequestId = mine.AssistanceRequestId })).Status);
        await Errors.PreconditionAsync(instructorClient.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest(schedule) { RequestId = NewId() }), "VISIT_ALREADY_SCHEDULED");
        var pending = await instructorClient.ListHomeVisitsAsync(new ListHomeVisitsRequest { InstructorId = instructor.PersonId, PendingOnly = true });
        Assert.Equal(visit.HomeVisitId, Assert.Single(pending.HomeVisits).HomeVisitId);

        var needsMore = await instructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest
        { RequestId = NewId(), HomeVisitId = visit.HomeVisitId, Outcome = VisitOutcome.NeedsAnotherVisit, Notes = "Mesin jahit rusak" });
        Assert.Equal(VisitOutcome.NeedsAnotherVisit, needsMore.Outcome);
        Assert.Equal(AssistanceStatus.Open, (await h.Operator.GetAssistanceRequestAsync(new GetAssistanceRequestRequest { AssistanceRequestId = mine.AssistanceRequestId })).Status);
        await Errors.PreconditionAsync(instructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest
        { RequestId = NewId(), HomeVisitId = visit.HomeVisitId, Outcome = VisitOutcome.Resolved }), "VISIT_ALREADY_LOGGED");

        var second = await instructorClient.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest(schedule) { RequestId = NewId() });
        await instructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest { RequestId = NewId(), HomeVisitId = second.HomeVisitId, Outcome = VisitOutcome.Resolved });
        var resolved = await sitiClient.GetAssistanceRequestAsync(new GetAssistanceRequestRequest { AssistanceRequestId = mine.AssistanceRequestId });
        Assert.Equal(AssistanceStatus.Resolved, resolved.Status);
        Assert.NotNull(resolved.ClosedAt);
        await Errors.PreconditionAsync(instructorClient.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest(schedule) { RequestId = NewId() }), "ASSISTANCE_REQUEST_CLOSED");
        Assert.Equal(2, (await h.Operator.ListHomeVisitsAsync(new ListHomeVisitsRequest { ProgrammeId = programme.ProgrammeId })).HomeVisits.Count);
        Assert.Single((await h.Operator.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest
        { ProgrammeId = programme.ProgrammeId, Status = AssistanceStatus.Open })).AssistanceRequests);
    }

    [Theory, BothDatabases]
    public async Task Visits_need_an_instructor_of_the_programme_a_sane_window_and_the_visitor_logs_them(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, instructor, instructorClient) = await h.ActiveProgrammeAsync();
        var (_, otherInstructor, otherClient) = await h.ActiveProgrammeAsync();
        var trainee = await h.RegisterTraineeAsync();
        await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        var request = await h.Operator.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId, ProductStep = "cutting", Description = "help" });
        ScheduleHomeVisitRequest Visit(string instructorId, DateOnly day, int from, int to) => new()
        {
            RequestId = NewId(),
            AssistanceRequestId = request.AssistanceRequestId,
            InstructorId = instructorId,
            Day = Day(day),
            WindowStart = At(from),
            WindowEnd = At(to),
            Address = "Amuntai",
        };
        var tomorrow = TodayInMakassar().AddDays(1);

        await Errors.PreconditionAsync(h.Operator.ScheduleHomeVisitAsync(Visit(otherInstructor.PersonId, tomorrow, 9, 10)), "NOT_AN_INSTRUCTOR_OF_PROGRAMME");
        await Errors.DeniedAsync(otherClient.ScheduleHomeVisitAsync(Visit(otherInstructor.PersonId, tomorrow, 9, 10)));
        await Errors.InvalidAsync(instructorClient.ScheduleHomeVisitAsync(Visit(instructor.PersonId, tomorrow, 11, 9)), "window_end");
        await Errors.InvalidAsync(instructorClient.ScheduleHomeVisitAsync(Visit(instructor.PersonId, TodayInMakassar().AddDays(-3), 9, 10)), "day");
        var visit = await instructorClient.ScheduleHomeVisitAsync(Visit(instructor.PersonId, tomorrow, 9, 10));
        Assert.Equal(9, visit.WindowStart.Hours);

        await Errors.DeniedAsync(otherClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest { RequestId = NewId(), HomeVisitId = visit.HomeVisitId, Outcome = VisitOutcome.Resolved }));
        await Errors.InvalidAsync(instructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest { RequestId = NewId(), HomeVisitId = visit.HomeVisitId }), "outcome");
        var withdrew = await instructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest
        { RequestId = NewId(), HomeVisitId = visit.HomeVisitId, Outcome = VisitOutcome.TraineeWithdrew });
        Assert.NotNull(withdrew.VisitedAt);
        Assert.Equal(AssistanceStatus.Closed, (await h.Operator.GetAssistanceRequestAsync(new GetAssistanceRequestRequest { AssistanceRequestId = request.AssistanceRequestId })).Status);
        await Errors.FailsAsync(h.Operator.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest { RequestId = NewId(), HomeVisitId = NewId(), Outcome = VisitOutcome.Resolved }), StatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Behind_schedule_requests_open_once_per_trainee_and_day_whatever_the_request_id(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, instructor, _) = await h.ActiveProgrammeAsync();
        var trainee = await h.RegisterTraineeAsync();
        await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        var coordinator = h.Internal(TestTokens.Service("coordinator"));
        var instructorClient = h.Internal(TestTokens.Mint(instructor.Subject, Roles.Instructor));
        OpenBehindScheduleRequestRequest Call(Google.Type.Date day) => new()
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId, Day = day, DoneUnits = 2, ExpectedUnits = 6, Quota = 9 };
        var today = Day(TodayInMakassar());

        // Concurrent deliveries with different ids for the same day open one request.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => coordinator.OpenBehindScheduleRequestAsync(Call(today)).ResponseAsync));
        Assert.Single(answers.Select(a => a.AssistanceRequestId).Distinct());
        Assert.Equal(AssistanceOrigin.BehindSchedule, answers[0].Origin);
        Assert.Equal(today, answers[0].BehindScheduleDay);
        Assert.Contains("2 of 6", answers[0].Description);
        var nextDay = await coordinator.OpenBehindScheduleRequestAsync(Call(Day(TodayInMakassar().AddDays(1))));
        Assert.NotEqual(answers[0].AssistanceRequestId, nextDay.AssistanceRequestId);
        Assert.Equal(2, (await h.Operator.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest { ProgrammeId = programme.ProgrammeId })).AssistanceRequests.Count);

        await Errors.DeniedAsync(instructorClient.OpenBehindScheduleRequestAsync(Call(today)));
        await Errors.InvalidAsync(coordinator.OpenBehindScheduleRequestAsync(Call(Day(2020, 13, 1))), "day");
        var outsider = await h.RegisterTraineeAsync("Outsider");
        var notEnrolled = Call(today);
        notEnrolled.TraineeId = outsider.PersonId;
        await Errors.PreconditionAsync(coordinator.OpenBehindScheduleRequestAsync(notEnrolled), "TRAINEE_NOT_ENROLLED");
    }
}

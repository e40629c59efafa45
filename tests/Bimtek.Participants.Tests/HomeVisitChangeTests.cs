using Bimtek.Data.Persistence;
using Bimtek.Notifications.V1;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

/// <summary>
/// A booked home visit is moved (new day and window, with a reason) or cancelled (with a reason) by the programme's
/// instructors and operators, once per request_id; a done or cancelled visit refuses both with its own reason; each
/// change writes its notification event to the outbox in the same transaction.
/// </summary>
public sealed class HomeVisitChangeTests
{
    private static Google.Type.TimeOfDay At(int hours) => new() { Hours = hours };

    private static readonly Dictionary<string, string?> _withNotifications = new() { ["Participants:SendNotifications"] = "true" };

    private sealed record World(ParticipantsHarness H, Programme Programme, Person Instructor, ParticipantsService.ParticipantsServiceClient InstructorClient,
        Person Trainee, AssistanceRequest Assistance, HomeVisit Visit);

    /// <summary>An active programme, an enrolled trainee with an open assistance request and a visit booked for tomorrow 09–11.</summary>
    private static async Task<World> BookedAsync(ParticipantsHarness h)
    {
        var (programme, instructor, instructorClient) = await h.ActiveProgrammeAsync();
        var trainee = await h.RegisterTraineeAsync("Siti", subject: "siti-" + NewId());
        await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        var assistance = await instructorClient.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId, ProductStep = "menjahit", Description = "Jahitan lepas" });
        var visit = await instructorClient.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest
        {
            RequestId = NewId(),
            AssistanceRequestId = assistance.AssistanceRequestId,
            InstructorId = instructor.PersonId,
            Day = Day(TodayInMakassar().AddDays(1)),
            WindowStart = At(9),
            WindowEnd = At(11),
            Address = "Jl. Basuki Rahmat, Paliwara",
        });
        Assert.Equal(HomeVisitStatus.Scheduled, visit.Status);
        return new World(h, programme, instructor, instructorClient, trainee, assistance, visit);
    }

    [Theory, BothDatabases]
    public async Task The_instructor_moves_a_visit_once_per_request_id_and_the_new_time_is_told(DatabaseKind db)
    {
        await using var h = await StartAsync(db, _withNotifications);
        var w = await BookedAsync(h);
        var newDay = TodayInMakassar().AddDays(2);
        var move = new MoveHomeVisitRequest
        {
            RequestId = NewId(),
            HomeVisitId = w.Visit.HomeVisitId,
            Day = Day(newDay),
            WindowStart = At(13),
            WindowEnd = At(15),
            Reason = "Instruktur ke Amuntai",
        };
        var moved = await w.InstructorClient.MoveHomeVisitAsync(move);
        Assert.Equal(Day(newDay), moved.Day);
        Assert.Equal(13, moved.WindowStart.Hours);
        Assert.Equal(15, moved.WindowEnd.Hours);
        Assert.Equal(1, moved.TimesMoved);
        Assert.Equal("Instruktur ke Amuntai", moved.ChangeReason);
        Assert.Equal(HomeVisitStatus.Scheduled, moved.Status);

        // The same request again answers the same and moves nothing; the same id for another move is refused.
        Assert.Equal(moved, await w.InstructorClient.MoveHomeVisitAsync(move));
        var reused = await Errors.FailsAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest(move) { WindowStart = At(14), WindowEnd = At(16) }),
            StatusCode.InvalidArgument);
        Assert.Equal("REQUEST_ID_REUSED", Errors.Reason(reused));
        Assert.Equal(1, (await VisitAsync(h, w)).TimesMoved);

        // Moving to the time it already has, to the past, or to a window that ends before it starts: INVALID_ARGUMENT.
        await Errors.InvalidAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest(move) { RequestId = NewId() }), "day");
        await Errors.InvalidAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest(move) { RequestId = NewId(), Day = Day(TodayInMakassar().AddDays(-1)) }), "day");
        await Errors.InvalidAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest(move) { RequestId = NewId(), WindowStart = At(16) }), "window_end");
        await Errors.InvalidAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest(move) { RequestId = NewId(), Reason = " " }), "reason");

        // Moved back to the first time: a new fact, told again (its own count).
        var back = await h.Operator.MoveHomeVisitAsync(new MoveHomeVisitRequest(move)
        { RequestId = NewId(), Day = w.Visit.Day, WindowStart = At(9), WindowEnd = At(11), Reason = "Kembali ke jadwal awal" });
        Assert.Equal(2, back.TimesMoved);

        var events = await VisitEventsAsync(h);
        Assert.Equal([HomeVisitChange.Booked, HomeVisitChange.Moved, HomeVisitChange.Moved], events.Select(e => e.HomeVisitChanged.Change).Order());
        var first = events.Single(e => e.HomeVisitChanged.Change == HomeVisitChange.Moved && e.HomeVisitChanged.TimesMoved == 1);
        Assert.Equal(w.Visit.HomeVisitId, first.HomeVisitChanged.VisitId);
        Assert.Equal(w.Trainee.PersonId, first.HomeVisitChanged.TraineeSubject);
        Assert.Equal(w.Instructor.PersonId, first.HomeVisitChanged.InstructorSubject);
        Assert.Equal("Paliwara", first.HomeVisitChanged.Village);
        // 13:00 WITA (UTC+8) on the new day.
        Assert.Equal(new DateTimeOffset(newDay.ToDateTime(new TimeOnly(13, 0)), TimeSpan.FromHours(8)), first.HomeVisitChanged.ScheduledAt.ToDateTimeOffset());
        Assert.Equal(w.Programme.ProgrammeId, first.ProgrammeId);
        Assert.Equal("Asia/Makassar", first.TimeZone);
    }

    [Theory, BothDatabases]
    public async Task A_cancelled_visit_opens_its_request_again_and_refuses_every_later_change(DatabaseKind db)
    {
        await using var h = await StartAsync(db, _withNotifications);
        var w = await BookedAsync(h);
        var cancel = new CancelHomeVisitRequest { RequestId = NewId(), HomeVisitId = w.Visit.HomeVisitId, Reason = "Peserta sudah bisa" };
        var cancelled = await w.InstructorClient.CancelHomeVisitAsync(cancel);
        Assert.Equal(HomeVisitStatus.Cancelled, cancelled.Status);
        Assert.Equal("Peserta sudah bisa", cancelled.ChangeReason);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(cancelled, await w.InstructorClient.CancelHomeVisitAsync(cancel)); // replay

        Assert.Equal(AssistanceStatus.Open, (await h.Operator.GetAssistanceRequestAsync(new GetAssistanceRequestRequest
        { AssistanceRequestId = w.Assistance.AssistanceRequestId })).Status);
        Assert.Empty((await h.Operator.ListHomeVisitsAsync(new ListHomeVisitsRequest { ProgrammeId = w.Programme.ProgrammeId, PendingOnly = true })).HomeVisits);

        await Errors.PreconditionAsync(w.InstructorClient.CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId() }), "VISIT_CANCELLED");
        await Errors.PreconditionAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest
        {
            RequestId = NewId(),
            HomeVisitId = w.Visit.HomeVisitId,
            Day = Day(TodayInMakassar().AddDays(3)),
            WindowStart = At(9),
            WindowEnd = At(10),
            Reason = "x",
        }), "VISIT_CANCELLED");
        await Errors.PreconditionAsync(w.InstructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest
        { RequestId = NewId(), HomeVisitId = w.Visit.HomeVisitId, Outcome = VisitOutcome.Resolved }), "VISIT_CANCELLED");

        // The request takes a new visit.
        var again = await w.InstructorClient.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest
        {
            RequestId = NewId(),
            AssistanceRequestId = w.Assistance.AssistanceRequestId,
            InstructorId = w.Instructor.PersonId,
            Day = Day(TodayInMakassar().AddDays(4)),
            WindowStart = At(9),
            WindowEnd = At(11),
            Address = "Jl. Basuki Rahmat, Paliwara",
        });
        Assert.Equal(HomeVisitStatus.Scheduled, again.Status);

        var events = await VisitEventsAsync(h);
        var told = Assert.Single(events, e => e.HomeVisitChanged.Change == HomeVisitChange.Cancelled);
        Assert.Equal(w.Visit.HomeVisitId, told.HomeVisitChanged.VisitId);
        Assert.Equal(3, events.Count); // booked, cancelled, booked again
    }

    [Theory, BothDatabases]
    public async Task A_done_visit_is_neither_moved_nor_cancelled(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var w = await BookedAsync(h);
        await w.InstructorClient.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest { RequestId = NewId(), HomeVisitId = w.Visit.HomeVisitId, Outcome = VisitOutcome.Resolved });
        Assert.Equal(HomeVisitStatus.Done, (await VisitAsync(h, w)).Status);

        await Errors.PreconditionAsync(w.InstructorClient.CancelHomeVisitAsync(new CancelHomeVisitRequest
        { RequestId = NewId(), HomeVisitId = w.Visit.HomeVisitId, Reason = "x" }), "VISIT_ALREADY_LOGGED");
        await Errors.PreconditionAsync(w.InstructorClient.MoveHomeVisitAsync(new MoveHomeVisitRequest
        {
            RequestId = NewId(),
            HomeVisitId = w.Visit.HomeVisitId,
            Day = Day(TodayInMakassar().AddDays(3)),
            WindowStart = At(9),
            WindowEnd = At(10),
            Reason = "x",
        }), "VISIT_ALREADY_LOGGED");
    }

    [Theory, BothDatabases]
    public async Task Only_operators_and_the_programmes_instructors_change_a_visit(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var w = await BookedAsync(h);
        var (_, _, otherInstructor) = await h.ActiveProgrammeAsync();
        var cancel = new CancelHomeVisitRequest { HomeVisitId = w.Visit.HomeVisitId, Reason = "x" };

        await Errors.DeniedAsync(h.As(w.Trainee.Subject, Roles.Trainee).CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId() }));
        await Errors.DeniedAsync(otherInstructor.CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId() }));
        await Errors.DeniedAsync(h.As("health-" + NewId(), Roles.HealthExpert).CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId() }));
        // An unknown visit: denied to anyone who could not see one, NOT_FOUND to operators.
        await Errors.DeniedAsync(otherInstructor.CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId(), HomeVisitId = NewId() }));
        await Errors.FailsAsync(h.Operator.CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId(), HomeVisitId = NewId() }), StatusCode.NotFound);
        Assert.Equal(HomeVisitStatus.Scheduled, (await VisitAsync(h, w)).Status);

        Assert.Equal(HomeVisitStatus.Cancelled, (await h.Operator.CancelHomeVisitAsync(new CancelHomeVisitRequest(cancel) { RequestId = NewId() })).Status);
    }

    private static async Task<HomeVisit> VisitAsync(ParticipantsHarness h, World w) =>
        (await h.Operator.ListHomeVisitsAsync(new ListHomeVisitsRequest { ProgrammeId = w.Programme.ProgrammeId })).HomeVisits.Single(v => v.HomeVisitId == w.Visit.HomeVisitId);

    /// <summary>The home-visit events participants wrote for notifications (no notifications service here: they wait).</summary>
    private static async Task<List<ReceiveEventRequest>> VisitEventsAsync(ParticipantsHarness h)
    {
        var database = h.Host.Services.GetRequiredService<Database>();
        var payloads = await database.QueryAsync<byte[]>("SELECT payload FROM outbox_messages WHERE destination = 'notifications.event'", null);
        return payloads.Select(p => ReceiveEventRequest.Parser.ParseFrom(p)).Where(e => e.EventCase == ReceiveEventRequest.EventOneofCase.HomeVisitChanged).ToList();
    }
}

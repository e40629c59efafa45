using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.V1;
using Bimtek.Participants.Data;
using Bimtek.Participants.Hosting;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Participants.Application;

/// <summary>
/// What people are told of, through the notifications service (only with <c>Participants:SendNotifications</c>): a
/// home visit booked, moved or cancelled (trainee, guardian of a minor, the instructor; day, time and village) and a trainee behind
/// schedule (the coordinator's daily pace check opens the behind-schedule request here). One outbox message in the
/// caller's transaction; its id becomes notifications' request_id, so a redelivery changes nothing. People are
/// named by their person id (the login subject of the accounts participants creates).
/// </summary>
internal sealed class NotificationEvents(OutboxWriter outbox, IOptions<ParticipantsOptions> options, TimeProvider time)
{
    public const string Destination = "notifications.event";

    public Task HomeVisitBookedAsync(DbSession session, VisitRow visit, ProgrammeRow programme, PersonRow? trainee) =>
        HomeVisitChangedAsync(session, visit, programme, trainee, HomeVisitChange.Booked, Instants.FromUnixMs(visit.CreatedAt));

    /// <summary>A visit booked, moved (its new time) or cancelled (the time it would have had), with the reason given for a move or cancellation.</summary>
    public async Task HomeVisitChangedAsync(DbSession session, VisitRow visit, ProgrammeRow programme, PersonRow? trainee, HomeVisitChange change,
        DateTimeOffset occurredAt)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        await outbox.EnqueueAsync(session, Destination, new ReceiveEventRequest
        {
            ProgrammeId = programme.ProgrammeId,
            TimeZone = programme.TimeZone,
            OccurredAt = Instants.ToTimestamp(occurredAt),
            HomeVisitChanged = new HomeVisitChanged
            {
                VisitId = visit.HomeVisitId,
                Change = change,
                TraineeSubject = visit.TraineeId,
                InstructorSubject = visit.InstructorId,
                ScheduledAt = Instants.ToTimestamp(StartOf(visit, programme.TimeZone)),
                Village = trainee?.Village is { Length: > 0 } village ? village : visit.Address,
                TimesMoved = (int)visit.TimesMoved,
                Reason = change == HomeVisitChange.Booked ? "" : visit.ChangeReason,
            },
        });
    }

    public async Task BehindScheduleAsync(DbSession session, AssistanceRow request, ProgrammeRow programme, int doneUnits, int expectedUnits)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        await outbox.EnqueueAsync(session, Destination, new ReceiveEventRequest
        {
            ProgrammeId = programme.ProgrammeId,
            TimeZone = programme.TimeZone,
            OccurredAt = Instants.ToTimestamp(request.CreatedAt),
            TraineeBehindSchedule = new TraineeBehindSchedule
            {
                TraineeSubject = request.TraineeId,
                Day = request.BehindScheduleDay ?? "",
                Made = doneUnits,
                Expected = expectedUnits,
            },
        });
    }

    /// <summary>
    /// How a person is reached, as registered here (a trainee's guardian included), so notifications keeps their contact:
    /// sent on registration, every contact change and every staff assignment, with the person's contact version (the
    /// newest wins there, whatever the delivery order). Minority is judged for today (the messages go out now).
    /// </summary>
    public async Task ContactChangedAsync(DbSession session, PersonRow person, int currentYear)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        var trainee = person.Kind == (long)Bimtek.Participants.V1.PersonKind.Trainee;
        await outbox.EnqueueAsync(session, Destination, new ReceiveEventRequest
        {
            OccurredAt = Instants.ToTimestamp(time.GetUtcNow()),
            PersonContactChanged = new PersonContactChanged
            {
                Subject = person.PersonId,
                Name = person.Name,
                Phone = person.Phone,
                Email = person.Email,
                Language = (Language)person.Language,
                Minor = trainee && person.BirthYear is { } birthYear && Domain.GuardianPolicy.IsMinorIn(currentYear, (int)birthYear),
                GuardianName = trainee ? person.GuardianName ?? "" : "",
                GuardianPhone = trainee ? person.GuardianPhone : "",
                GuardianConsent = trainee && person.GuardianConsent == 1,
                Version = person.ContactVersion,
            },
        });
    }

    /// <summary>The visit's start: its day and window start, local time of the programme's zone, as an instant.</summary>
    internal static DateTimeOffset StartOf(VisitRow visit, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = CalendarDays.Parse(visit.Day)
            .ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(visit.WindowStartSeconds)));
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

/// <summary>Delivers events to NotificationsInternalService.ReceiveEvent (idempotent on the outbox message id).</summary>
internal sealed class NotificationEventDestination(IServiceProvider services) : OutboxDestination<ReceiveEventRequest>
{
    public override string Name => NotificationEvents.Destination;

    // Resolved per delivery: a missing notifications address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ReceiveEventRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<NotificationsInternalService.NotificationsInternalServiceClient>().ReceiveEventAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}

using System.Globalization;
using Bimtek.Notifications.V1;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Date = Google.Type.Date;
using TimeOfDay = Google.Type.TimeOfDay;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// Participants' events through its outbox to notifications' idempotent receiver: a booked home visit (trainee and
/// instructor, with day, time and village) and a behind-schedule day (the trainee, and the guardian of a minor),
/// each told once however often the event or the fact arrives.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ParticipantsEventsTests
{
    // 10:10 WITA on a weekday: outside quiet hours, so messages go at once.
    private static readonly DateTimeOffset _morning = new(2020, 6, 10, 2, 10, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task A_booked_home_visit_reaches_the_trainee_and_the_instructor_with_day_time_and_village(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-visit", _morning);
        await using var participants = await ParticipantsWorld.StartAsync(db, notifications);
        var (programme, instructor, trainee) = await participants.ProgrammeWithTraineeAsync(birthYear: 1990);
        // Participants' own contact events (registration, consent, assignment) first: the contacts set by hand below
        // come after them, and stay until participants next changes these people.
        await participants.DrainOutboxAsync();
        await notifications.SetContactAsync(trainee.PersonId, phone: "081234500001", change: c => c.Name = "Siti");
        await notifications.SetContactAsync(instructor.PersonId, phone: "081234500002", language: V1.Language.English, change: c => c.Name = "Ibu Rahmah");

        // Notifications is down when the visit is booked: participants' relay keeps the event until it is back.
        participants.Link.Down = true;
        var assistance = await participants.Operator.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme.ProgrammeId,
            TraineeId = trainee.PersonId,
            ProductStep = "menjahit lapisan",
            Description = "Jahitan lapisan kedua lepas",
        });
        var day = ParticipantsWorld.TodayInMakassar().AddDays(2);
        await participants.Operator.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest
        {
            RequestId = NotificationsHarness.NewId(),
            AssistanceRequestId = assistance.AssistanceRequestId,
            InstructorId = instructor.PersonId,
            Day = new Date { Year = day.Year, Month = day.Month, Day = day.Day },
            WindowStart = new TimeOfDay { Hours = 9 },
            WindowEnd = new TimeOfDay { Hours = 11 },
            Address = "Jl. Paliwara RT 3",
        });
        await Task.Delay(500);
        Assert.Empty(await notifications.MessagesAsync(trainee.PersonId));
        participants.Link.Down = false;

        var toTrainee = await notifications.EventuallyStatusAsync(trainee.PersonId, DeliveryStatus.Sent);
        var toInstructor = await notifications.EventuallyStatusAsync(instructor.PersonId, DeliveryStatus.Sent);
        var local = day.ToDateTime(new TimeOnly(9, 0));
        Assert.Equal("home_visit_booked", toTrainee.Template);
        Assert.Equal($"Bimtek: kunjungan rumah untuk Siti dijadwalkan {local.ToString("dddd, d MMMM yyyy, HH.mm", CultureInfo.GetCultureInfo("id-ID"))} di Paliwara.", toTrainee.Text);
        Assert.Equal($"Bimtek: a home visit for Siti is booked for {local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-GB"))} in Paliwara.", toInstructor.Text);
        Assert.Equal(2, notifications.WhatsApp.Requests.Count);

        // The event again after notifications restarted (a redelivery): nothing more.
        await notifications.RestartAsync();
        await participants.DrainOutboxAsync();
        await Task.Delay(300);
        Assert.Single(await notifications.MessagesAsync(trainee.PersonId));
        Assert.Single(await notifications.MessagesAsync(instructor.PersonId));
        Assert.Equal(2, notifications.WhatsApp.Requests.Count);
    }

    [Theory, BothDatabases]
    public async Task A_moved_then_cancelled_visit_tells_the_trainee_the_guardian_of_a_minor_and_the_instructor_each_change_once(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-visit-change", _morning);
        await using var participants = await ParticipantsWorld.StartAsync(db, notifications);
        var (programme, instructor, trainee) = await participants.ProgrammeWithTraineeAsync(birthYear: DateTime.UtcNow.Year - 15);
        // Participants' own contact events (registration, consent, assignment) first: the contacts set by hand below
        // come after them, and stay until participants next changes these people.
        await participants.DrainOutboxAsync();
        await notifications.SetContactAsync(trainee.PersonId, phone: "081234500021", change: c =>
        {
            c.Name = "Siti";
            c.Minor = true;
            c.GuardianSubject = "guardian-of-siti";
            c.GuardianConsent = true;
        });
        await notifications.SetContactAsync("guardian-of-siti", phone: "081234500022");
        await notifications.SetContactAsync(instructor.PersonId, phone: "081234500023", language: V1.Language.English, change: c => c.Name = "Ibu Rahmah");

        var op = participants.Operator;
        var assistance = await op.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme.ProgrammeId,
            TraineeId = trainee.PersonId,
            ProductStep = "menjahit lapisan",
            Description = "Jahitan lapisan kedua lepas",
        });
        var day = ParticipantsWorld.TodayInMakassar().AddDays(2);
        var visit = await op.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest
        {
            RequestId = NotificationsHarness.NewId(),
            AssistanceRequestId = assistance.AssistanceRequestId,
            InstructorId = instructor.PersonId,
            Day = new Date { Year = day.Year, Month = day.Month, Day = day.Day },
            WindowStart = new TimeOfDay { Hours = 9 },
            WindowEnd = new TimeOfDay { Hours = 11 },
            Address = "Jl. Paliwara RT 3",
        });
        var newDay = day.AddDays(1);
        var move = new MoveHomeVisitRequest
        {
            RequestId = NotificationsHarness.NewId(),
            HomeVisitId = visit.HomeVisitId,
            Day = new Date { Year = newDay.Year, Month = newDay.Month, Day = newDay.Day },
            WindowStart = new TimeOfDay { Hours = 14 },
            WindowEnd = new TimeOfDay { Hours = 16 },
            Reason = "Instruktur ke Amuntai",
        };
        await op.MoveHomeVisitAsync(move);
        await op.MoveHomeVisitAsync(move); // a retry of the same request
        var cancel = new CancelHomeVisitRequest { RequestId = NotificationsHarness.NewId(), HomeVisitId = visit.HomeVisitId, Reason = "Peserta sudah bisa" };
        await op.CancelHomeVisitAsync(cancel);
        await op.CancelHomeVisitAsync(cancel);

        foreach (var subject in new[] { trainee.PersonId, "guardian-of-siti", instructor.PersonId })
        {
            await NotificationsHarness.EventuallyAsync(async () => (await notifications.MessagesAsync(subject)).Count(m => m.Status == DeliveryStatus.Sent) == 3,
                $"{subject}: booked, moved and cancelled sent");
        }
        var moved = new DateTime(newDay.Year, newDay.Month, newDay.Day, 14, 0, 0);
        var toTrainee = (await notifications.MessagesAsync(trainee.PersonId)).ToDictionary(m => m.Template);
        Assert.Equal($"Bimtek: kunjungan rumah untuk Siti dipindah ke {moved.ToString("dddd, d MMMM yyyy, HH.mm", CultureInfo.GetCultureInfo("id-ID"))} di Paliwara. Alasan: Instruktur ke Amuntai",
            toTrainee["home_visit_moved"].Text);
        Assert.Equal($"Bimtek: kunjungan rumah untuk Siti pada {moved.ToString("dddd, d MMMM yyyy, HH.mm", CultureInfo.GetCultureInfo("id-ID"))} di Paliwara dibatalkan. Alasan: Peserta sudah bisa",
            toTrainee["home_visit_cancelled"].Text);
        Assert.DoesNotContain("Alasan", toTrainee["home_visit_booked"].Text, StringComparison.Ordinal);
        var toInstructor = (await notifications.MessagesAsync(instructor.PersonId)).ToDictionary(m => m.Template);
        Assert.Equal($"Bimtek: the home visit for Siti has moved to {moved.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-GB"))} in Paliwara. Reason: Instruktur ke Amuntai",
            toInstructor["home_visit_moved"].Text);
        Assert.Equal($"Bimtek: the home visit for Siti on {moved.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-GB"))} in Paliwara is cancelled. Reason: Peserta sudah bisa",
            toInstructor["home_visit_cancelled"].Text);

        // Every event delivered again (participants' relay as after a lost acknowledgement), after notifications
        // restarted: nothing more.
        await notifications.RestartAsync();
        Assert.True(await participants.RedeliverNotificationEventsAsync() >= 3); // the visit's three, and the people's contacts
        await participants.DrainOutboxAsync();
        await Task.Delay(300);
        Assert.Equal(3, (await notifications.MessagesAsync(trainee.PersonId)).Count);
        Assert.Equal(3, (await notifications.MessagesAsync("guardian-of-siti")).Count);
        Assert.Equal(3, (await notifications.MessagesAsync(instructor.PersonId)).Count);
        Assert.Equal(9, notifications.WhatsApp.Requests.Count);
    }

    [Theory, BothDatabases]
    public async Task A_day_behind_schedule_reaches_a_minor_and_the_guardian_once_however_often_the_pace_check_reports_it(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-behind", _morning);
        await using var participants = await ParticipantsWorld.StartAsync(db, notifications);
        var (programme, _, trainee) = await participants.ProgrammeWithTraineeAsync(birthYear: DateTime.UtcNow.Year - 15);
        // Participants' own contact events (registration, consent, assignment) first: the contacts set by hand below
        // come after them, and stay until participants next changes these people.
        await participants.DrainOutboxAsync();
        await notifications.SetContactAsync(trainee.PersonId, phone: "081234500011", change: c =>
        {
            c.Name = "Lina";
            c.Minor = true;
            c.GuardianSubject = "guardian-of-lina";
            c.GuardianConsent = true;
        });
        await notifications.SetContactAsync("guardian-of-lina", phone: "081234500012", language: V1.Language.English);

        // The coordinator's daily pace check, three times for the same day (two retries with new request ids).
        var checkDay = ParticipantsWorld.TodayInMakassar();
        var service = participants.Service;
        for (var i = 0; i < 3; i++)
        {
            await service.OpenBehindScheduleRequestAsync(new OpenBehindScheduleRequestRequest
            {
                RequestId = NotificationsHarness.NewId(),
                ProgrammeId = programme.ProgrammeId,
                TraineeId = trainee.PersonId,
                Day = new Date { Year = checkDay.Year, Month = checkDay.Month, Day = checkDay.Day },
                DoneUnits = 2,
                ExpectedUnits = 6,
                Quota = 9,
            });
        }

        var dayText = checkDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var toTrainee = await notifications.EventuallyStatusAsync(trainee.PersonId, DeliveryStatus.Sent);
        var toGuardian = await notifications.EventuallyStatusAsync("guardian-of-lina", DeliveryStatus.Sent);
        Assert.StartsWith($"Bimtek: Lina tertinggal dari jadwal pada {dayText}: baru 2 dari 6 unit.", toTrainee.Text, StringComparison.Ordinal);
        Assert.StartsWith($"Bimtek: Lina is behind schedule on {dayText}: 2 of 6 units made.", toGuardian.Text, StringComparison.Ordinal);
        await participants.DrainOutboxAsync();
        await Task.Delay(300);
        Assert.Single(await notifications.MessagesAsync(trainee.PersonId));
        Assert.Single(await notifications.MessagesAsync("guardian-of-lina"));
        Assert.Equal(2, notifications.WhatsApp.Requests.Count);
    }
}

/// <summary>A real participants service (own database) whose outbox delivers to the harness's notifications.</summary>
internal sealed class ParticipantsWorld : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private ParticipantsWorld(TestDatabase database, ServiceHost<Bimtek.Participants.Program> host, NotificationsLink link)
    {
        _database = database;
        Host = host;
        Link = link;
    }

    public ServiceHost<Bimtek.Participants.Program> Host { get; }

    public NotificationsLink Link { get; }

    public ParticipantsService.ParticipantsServiceClient Operator => Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.Operator());

    public ParticipantsInternalService.ParticipantsInternalServiceClient Service => Host.Client<ParticipantsInternalService.ParticipantsInternalServiceClient>(TestTokens.Service("coordinator"));

    public static async Task<ParticipantsWorld> StartAsync(DatabaseKind kind, NotificationsHarness notifications)
    {
        var database = await TestDatabase.CreateAsync(kind, "participants-notify");
        var link = new NotificationsLink(notifications);
        // No coordinator here: its outbox rows wait (they are not what these tests look at).
        var host = new ServiceHost<Bimtek.Participants.Program>(database, link.Route(),
            NotificationsLink.Settings(("Participants:SendNotifications", "true")));
        return new ParticipantsWorld(database, host, link);
    }

    public static DateOnly TodayInMakassar() => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static Date Day(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    /// <summary>An active programme (started yesterday) with an instructor registered with a phone and a language.</summary>
    public async Task<(Programme Programme, Person Instructor)> ProgrammeWithInstructorAsync(string phone, Bimtek.Participants.V1.Language language)
    {
        var op = Operator;
        var programme = await op.CreateProgrammeAsync(new CreateProgrammeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Code = "BIMTEK-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            Title = "Bimtek pembuatan APD",
            ProductCode = "APD-SET",
            Organisers = { "Disperindagkop-UKM HSU" },
            District = "Hulu Sungai Utara",
            Province = "Kalimantan Selatan",
            Mode = ProgrammeMode.OnlineHomeBased,
            StartDay = Day(TodayInMakassar().AddDays(-1)),
            EndDay = Day(TodayInMakassar().AddDays(10)),
            TimeZone = "Asia/Makassar",
            Capacity = 7,
            TargetQuantity = 60,
        });
        var instructor = await op.RegisterStaffAsync(new RegisterStaffRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Kind = StaffKind.Instructor,
            Name = "Ibu Rahmah",
            District = "Hulu Sungai Utara",
            Organisation = "Disperindagkop-UKM HSU",
            Phone = phone,
            Language = language,
        });
        await op.AssignStaffAsync(new AssignStaffRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme.ProgrammeId,
            PersonId = instructor.PersonId,
            Role = StaffRole.Instructor,
        });
        programme = await op.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NotificationsHarness.NewId(), ProgrammeId = programme.ProgrammeId });
        return (programme, instructor);
    }

    /// <summary>An active programme (started yesterday) with an instructor and one enrolled trainee from Paliwara.</summary>
    public async Task<(Programme Programme, Person Instructor, Person Trainee)> ProgrammeWithTraineeAsync(int birthYear)
    {
        var op = Operator;
        var programme = await op.CreateProgrammeAsync(new CreateProgrammeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Code = "BIMTEK-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            Title = "Bimtek pembuatan APD",
            ProductCode = "APD-SET",
            Organisers = { "Disperindagkop-UKM HSU" },
            District = "Hulu Sungai Utara",
            Province = "Kalimantan Selatan",
            Mode = ProgrammeMode.OnlineHomeBased,
            StartDay = Day(TodayInMakassar().AddDays(-1)),
            EndDay = Day(TodayInMakassar().AddDays(10)),
            TimeZone = "Asia/Makassar",
            Capacity = 7,
            TargetQuantity = 60,
        });
        var instructor = await op.RegisterStaffAsync(new RegisterStaffRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Kind = StaffKind.Instructor,
            Name = "Ibu Rahmah",
            District = "Hulu Sungai Utara",
            Organisation = "Disperindagkop-UKM HSU",
        });
        await op.AssignStaffAsync(new AssignStaffRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme.ProgrammeId,
            PersonId = instructor.PersonId,
            Role = StaffRole.Instructor,
        });
        programme = await op.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NotificationsHarness.NewId(), ProgrammeId = programme.ProgrammeId });
        var trainee = await op.RegisterTraineeAsync(new RegisterTraineeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Name = "Siti",
            BirthYear = birthYear,
            Village = "Paliwara",
            District = "Hulu Sungai Utara",
            Phone = "+6281234500001",
        });
        if (DateTime.UtcNow.Year - birthYear < 18)
        {
            await op.RecordGuardianConsentAsync(new RecordGuardianConsentRequest
            {
                RequestId = NotificationsHarness.NewId(),
                PersonId = trainee.PersonId,
                GuardianName = "Ibu Lina",
                GuardianConsent = true,
            });
        }
        await op.EnrolAsync(new EnrolRequest { RequestId = NotificationsHarness.NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId });
        return (programme, instructor, trainee);
    }

    /// <summary>Marks every delivered notification event pending again, as a relay does when an acknowledgement is lost.</summary>
    public async Task<int> RedeliverNotificationEventsAsync()
    {
        var database = Host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await using var connection = await database.OpenConnectionAsync();
        return await Dapper.SqlMapper.ExecuteAsync(connection,
            "UPDATE outbox_messages SET status = 'pending', next_attempt_at = 0, delivered_at = NULL WHERE destination = 'notifications.event' AND status = 'delivered'");
    }

    /// <summary>Waits until participants' notification events are all delivered (coordinator rows stay pending here).</summary>
    public async Task DrainOutboxAsync()
    {
        var database = Host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await NotificationsHarness.EventuallyAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync();
            return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                "SELECT COUNT(*) FROM outbox_messages WHERE destination = 'notifications.event' AND status = 'pending'") == 0;
        }, "participants' notification events delivered");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _database.Dispose();
    }
}

using Bimtek.Notifications.V1;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Date = Google.Type.Date;
using TimeOfDay = Google.Type.TimeOfDay;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// Contacts follow people: participants' registrations, contact changes and staff assignments reach notifications
/// through participants' outbox, so a trainee, a minor's guardian and an instructor registered only in participants
/// are reached (not "suppressed: no usable address"), in E.164 and in their language; an older change never
/// overwrites a newer one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ContactSyncTests
{
    // 10:10 WITA: outside quiet hours.
    private static readonly DateTimeOffset _morning = new(2020, 6, 10, 2, 10, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task People_registered_in_participants_are_reached_without_a_contact_set_by_hand(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-contacts", _morning);
        await using var participants = await ParticipantsWorld.StartAsync(db, notifications);
        var op = participants.Operator;
        var (programme, instructor) = await participants.ProgrammeWithInstructorAsync(phone: "0812-3450-0031", language: Participants.V1.Language.English);
        var minor = await op.RegisterTraineeAsync(new RegisterTraineeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Name = "Rina",
            BirthYear = DateTime.UtcNow.Year - 15,
            Village = "Paliwara",
            District = "Hulu Sungai Utara",
            Phone = "0812 3450 0032",
            GuardianName = "Ibu Sari",
            GuardianPhone = "+62 812-3450-0033",
            GuardianConsent = true,
        });
        await op.EnrolAsync(new EnrolRequest { RequestId = NotificationsHarness.NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = minor.PersonId });
        await participants.DrainOutboxAsync();

        var trainee = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = minor.PersonId });
        Assert.Equal("+6281234500032", trainee.Phone);
        Assert.True(trainee.Minor);
        Assert.True(trainee.GuardianConsent);
        Assert.Equal("guardian:" + minor.PersonId, trainee.GuardianSubject);
        var guardian = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = trainee.GuardianSubject });
        Assert.Equal(("Ibu Sari", "+6281234500033"), (guardian.Name, guardian.Phone));
        var staff = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = instructor.PersonId });
        Assert.Equal(("+6281234500031", V1.Language.English), (staff.Phone, staff.Language));

        // A booked visit reaches all three.
        var assistance = await op.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme.ProgrammeId,
            TraineeId = minor.PersonId,
            ProductStep = "menjahit",
            Description = "Jahitan lepas",
        });
        var day = ParticipantsWorld.TodayInMakassar().AddDays(2);
        await op.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest
        {
            RequestId = NotificationsHarness.NewId(),
            AssistanceRequestId = assistance.AssistanceRequestId,
            InstructorId = instructor.PersonId,
            Day = new Date { Year = day.Year, Month = day.Month, Day = day.Day },
            WindowStart = new TimeOfDay { Hours = 9 },
            WindowEnd = new TimeOfDay { Hours = 11 },
            Address = "Jl. Paliwara RT 3",
        });
        var toTrainee = await notifications.EventuallyStatusAsync(minor.PersonId, DeliveryStatus.Sent);
        var toGuardian = await notifications.EventuallyStatusAsync(trainee.GuardianSubject, DeliveryStatus.Sent);
        var toInstructor = await notifications.EventuallyStatusAsync(instructor.PersonId, DeliveryStatus.Sent);
        Assert.StartsWith("Bimtek: kunjungan rumah untuk Rina", toTrainee.Text, StringComparison.Ordinal);
        Assert.StartsWith("Bimtek: kunjungan rumah untuk Rina", toGuardian.Text, StringComparison.Ordinal);
        Assert.StartsWith("Bimtek: a home visit for Rina", toInstructor.Text, StringComparison.Ordinal);
        var sentTo = notifications.WhatsApp.Requests.Select(r => r.Text).ToList();
        foreach (var number in new[] { "6281234500031", "6281234500032", "6281234500033" })
        {
            Assert.Single(sentTo, b => b.Contains(number, StringComparison.Ordinal));
        }

        // The trainee's phone changes and she reads English now; the guardian's phone is cleared.
        await op.UpdatePersonContactAsync(new UpdatePersonContactRequest
        {
            RequestId = NotificationsHarness.NewId(),
            PersonId = minor.PersonId,
            Phone = "081234500034",
            Email = "rina@example.org",
            Language = Participants.V1.Language.English,
        });
        await participants.DrainOutboxAsync();
        trainee = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = minor.PersonId });
        Assert.Equal(("+6281234500034", "rina@example.org", V1.Language.English), (trainee.Phone, trainee.Email, trainee.Language));
        guardian = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = trainee.GuardianSubject });
        Assert.Equal("", guardian.Phone);

        // An older change delivered late (another message id, a lower version) changes nothing.
        var late = await notifications.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            PersonContactChanged = new PersonContactChanged { Subject = minor.PersonId, Name = "Rina", Phone = "081234500032", Version = 1 },
        });
        Assert.False(late.Duplicate);
        Assert.Equal(0, late.MessagesQueued);
        Assert.Equal("+6281234500034", (await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = minor.PersonId })).Phone);
    }

    [Theory, BothDatabases]
    public async Task A_number_that_is_not_a_phone_number_is_not_kept_and_what_the_person_chose_here_stays(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-contacts-keep", _morning);
        var service = notifications.Service;
        await service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            PersonContactChanged = new PersonContactChanged { Subject = "p-1", Name = "Budi", Phone = "12345", Email = "not an address", Version = 1 },
        });
        var contact = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = "p-1" });
        Assert.Equal(("Budi", "", ""), (contact.Name, contact.Phone, contact.Email));

        // The person opts out and prefers SMS here; participants' next change keeps both.
        await notifications.SetContactAsync("p-1", phone: "081234500041", preferred: Channel.Sms, change: c => c.OptedOut = true);
        await service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            PersonContactChanged = new PersonContactChanged { Subject = "p-1", Name = "Budi S.", Phone = "081234500042", Version = 2 },
        });
        contact = await notifications.Operator.GetContactAsync(new GetContactRequest { Subject = "p-1" });
        Assert.Equal(("Budi S.", "+6281234500042", Channel.Sms, true), (contact.Name, contact.Phone, contact.PreferredChannel, contact.OptedOut));
    }
}

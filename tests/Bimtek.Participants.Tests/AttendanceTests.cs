using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

public sealed class AttendanceTests
{
    [Theory, BothDatabases]
    public async Task Attendance_is_recorded_per_programme_day_by_its_instructors_and_read_by_each_trainee_for_themself(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, instructor, instructorClient) = await h.ActiveProgrammeAsync();
        var (_, _, otherInstructor) = await h.ActiveProgrammeAsync();
        var siti = await h.RegisterTraineeAsync("Siti", subject: "siti");
        var budi = await h.RegisterTraineeAsync("Budi", subject: "budi");
        await h.EnrolAsync(programme.ProgrammeId, siti.PersonId);
        await h.EnrolAsync(programme.ProgrammeId, budi.PersonId);
        var day = programme.StartDay;
        RecordAttendanceRequest Record(Google.Type.Date d, params (string Trainee, AttendanceStatus Status)[] marks)
        {
            var request = new RecordAttendanceRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, Day = d };
            request.Records.Add(marks.Select(m => new AttendanceRecord { TraineeId = m.Trainee, Status = m.Status }));
            return request;
        }

        var recorded = await instructorClient.RecordAttendanceAsync(Record(day, (budi.PersonId, AttendanceStatus.Present), (siti.PersonId, AttendanceStatus.Absent)));
        Assert.Equal(2, recorded.Records.Count);
        Assert.Equal(instructor.PersonId, recorded.Records[0].RecordedBy);
        // A later record for the same trainee and day replaces the earlier one.
        await h.Operator.RecordAttendanceAsync(Record(day, (siti.PersonId, AttendanceStatus.Excused)));

        var list = await h.Operator.ListAttendanceAsync(new ListAttendanceRequest { ProgrammeId = programme.ProgrammeId, Day = day });
        Assert.Equal([siti.PersonId, budi.PersonId], list.Records.Select(r => r.TraineeId)); // enrolment order
        Assert.Equal(AttendanceStatus.Excused, list.Records[0].Status);
        Assert.Equal("operator-1", list.Records[0].RecordedBy);

        var sitiClient = h.As("siti", Roles.Trainee);
        var own = await sitiClient.ListAttendanceAsync(new ListAttendanceRequest { ProgrammeId = programme.ProgrammeId, TraineeId = siti.PersonId });
        Assert.Equal(AttendanceStatus.Excused, Assert.Single(own.Records).Status);
        await Errors.DeniedAsync(sitiClient.ListAttendanceAsync(new ListAttendanceRequest { ProgrammeId = programme.ProgrammeId }));
        await Errors.DeniedAsync(sitiClient.ListAttendanceAsync(new ListAttendanceRequest { ProgrammeId = programme.ProgrammeId, TraineeId = budi.PersonId }));
        await Errors.DeniedAsync(sitiClient.RecordAttendanceAsync(Record(day, (siti.PersonId, AttendanceStatus.Present))));
        await Errors.DeniedAsync(otherInstructor.RecordAttendanceAsync(Record(day, (siti.PersonId, AttendanceStatus.Present))));

        // Days outside the programme, bad entries, and trainees who are not enrolled.
        await Errors.InvalidAsync(instructorClient.RecordAttendanceAsync(Record(Day(2019, 1, 1), (siti.PersonId, AttendanceStatus.Present))), "day");
        await Errors.InvalidAsync(instructorClient.RecordAttendanceAsync(Record(day, (siti.PersonId, AttendanceStatus.Unspecified), (siti.PersonId, AttendanceStatus.Present))),
            "records[0].status", "records[1].trainee_id");
        await Errors.InvalidAsync(instructorClient.RecordAttendanceAsync(Record(day)), "records");
        var outsider = await h.RegisterTraineeAsync("Outsider");
        await Errors.PreconditionAsync(instructorClient.RecordAttendanceAsync(Record(day, (siti.PersonId, AttendanceStatus.Present), (outsider.PersonId, AttendanceStatus.Present))),
            "TRAINEE_NOT_ENROLLED");
        // Nothing half-written: Siti's mark is still the excused one.
        Assert.Equal(AttendanceStatus.Excused, (await sitiClient.ListAttendanceAsync(new ListAttendanceRequest { ProgrammeId = programme.ProgrammeId, TraineeId = siti.PersonId })).Records[0].Status);
    }
}

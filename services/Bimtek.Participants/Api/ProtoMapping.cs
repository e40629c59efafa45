using System.Text.Json;
using Bimtek.Participants.Application;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Participants.Api;

/// <summary>Rows to proto messages (days and instants through <see cref="CalendarDays"/> and <see cref="Instants"/>).</summary>
internal static class ProtoMapping
{
    public static int SecondsOfDay(Google.Type.TimeOfDay t) => (t.Hours * 3600) + (t.Minutes * 60) + t.Seconds;

    public static Google.Type.TimeOfDay ToTimeOfDay(long seconds) =>
        new() { Hours = (int)(seconds / 3600), Minutes = (int)(seconds % 3600 / 60), Seconds = (int)(seconds % 60) };

    public static string OrganisersJson(IEnumerable<string> organisers) => JsonSerializer.Serialize(organisers.ToArray());

    public static Programme ToProto(ProgrammeRow row, IEnumerable<StaffRow> staff, long enrolledCount)
    {
        var programme = new Programme
        {
            ProgrammeId = row.ProgrammeId,
            Code = row.Code,
            Title = row.Title,
            ProductCode = row.ProductCode,
            District = row.District,
            Province = row.Province,
            Mode = (ProgrammeMode)row.Mode,
            StartDay = CalendarDays.ToDate(row.StartDay),
            EndDay = CalendarDays.ToDate(row.EndDay),
            TimeZone = row.TimeZone,
            Capacity = (int)row.Capacity,
            TargetQuantity = (int)row.TargetQuantity,
            Status = (ProgrammeStatus)row.Status,
            EnrolledCount = (int)enrolledCount,
            CancellationReason = row.CancellationReason,
            CreatedAt = Instants.ToTimestamp(row.CreatedAt),
            UpdatedAt = Instants.ToTimestamp(row.UpdatedAt),
            Office = row.Office,
        };
        programme.Organisers.Add(JsonSerializer.Deserialize<string[]>(row.Organisers) ?? []);
        programme.Staff.Add(staff.Select(s => new StaffAssignment
        {
            PersonId = s.PersonId,
            Role = (StaffRole)s.Role,
            Name = s.Name,
            AssignedAt = Instants.ToTimestamp(s.AssignedAt),
        }));
        return programme;
    }

    public static Programme ToProto(ProgrammeView view) => ToProto(view.Row, view.Staff, view.EnrolledCount);

    public static Person ToProto(PersonRow row, int currentYear)
    {
        var person = new Person
        {
            PersonId = row.PersonId,
            Kind = (PersonKind)row.Kind,
            Name = row.Name,
            Phone = row.Phone,
            District = row.District,
            Subject = row.Subject ?? "",
            CreatedAt = Instants.ToTimestamp(row.CreatedAt),
            Email = row.Email,
            Language = (Language)row.Language,
        };
        if (person.Kind == PersonKind.Trainee)
        {
            person.Trainee = new TraineeDetails
            {
                BirthYear = (int)(row.BirthYear ?? 0),
                Village = row.Village ?? "",
                GuardianName = row.GuardianName ?? "",
                GuardianConsent = row.GuardianConsent == 1,
                GuardianConsentAt = row.GuardianConsentAt is { } at ? Instants.ToTimestamp(at) : null,
                Minor = GuardianPolicy.IsMinorIn(currentYear, (int)(row.BirthYear ?? 0)),
                GuardianPhone = row.GuardianPhone,
            };
        }
        else
        {
            person.Staff = new StaffDetails { Organisation = row.Organisation ?? "" };
        }
        return person;
    }

    public static Enrolment ToProto(EnrolmentRow row) => new()
    {
        EnrolmentId = row.EnrolmentId,
        ProgrammeId = row.ProgrammeId,
        TraineeId = row.TraineeId,
        Sequence = (int)row.Sequence,
        Status = (EnrolmentStatus)row.Status,
        EnrolledAt = Instants.ToTimestamp(row.EnrolledAt),
        WithdrawnAt = row.WithdrawnAt is { } at ? Instants.ToTimestamp(at) : null,
        WithdrawalReason = row.WithdrawalReason,
        TraineeName = row.TraineeName,
    };

    public static CheckEnrolmentResponse ToProto(EnrolmentCheck check)
    {
        var programme = check.Programme;
        var response = new CheckEnrolmentResponse
        {
            ProgrammeId = programme.ProgrammeId,
            ProgrammeStatus = (ProgrammeStatus)programme.Status,
            StartDay = CalendarDays.ToDate(programme.StartDay),
            EndDay = CalendarDays.ToDate(programme.EndDay),
            TimeZone = programme.TimeZone,
            ProductCode = programme.ProductCode,
            Office = programme.Office,
        };
        if (check.Enrolment is { } enrolment)
        {
            response.Enrolled = true;
            response.EnrolmentId = enrolment.EnrolmentId;
            response.EnrolmentSequence = (int)enrolment.Sequence;
        }
        if (check.Person is { } person)
        {
            response.PersonId = person.PersonId;
            response.PersonRole = check.PersonRole;
            response.PersonSubject = person.Subject ?? "";
        }
        return response;
    }

    public static Lesson ToProto(LessonRow row) => new()
    {
        LessonId = row.LessonId,
        ProgrammeId = row.ProgrammeId,
        Position = (int)row.Position,
        Title = row.Title,
        VideoUrl = row.VideoUrl,
        DurationSeconds = (int)row.DurationSeconds,
        ProductStep = row.ProductStep,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
    };

    public static LessonProgress ToProto(ProgressRow row) => new()
    {
        LessonId = row.LessonId,
        TraineeId = row.TraineeId,
        FurthestPositionSeconds = (int)row.FurthestPositionSeconds,
        Percent = (int)row.Percent,
        Completed = row.Completed == 1,
        ReportedAt = Instants.ToTimestamp(row.ReportedAt),
        CompletedAt = row.CompletedAt is { } at ? Instants.ToTimestamp(at) : null,
    };

    /// <summary>A trainee's progress over every lesson of the programme (a lesson without a report at 0 %).</summary>
    public static TraineeLessonProgress ToProto(string programmeId, string traineeId, TraineeProgressView view)
    {
        var response = new TraineeLessonProgress { ProgrammeId = programmeId, TraineeId = traineeId, LessonCount = view.Lessons.Count };
        foreach (var lesson in view.Lessons)
        {
            response.Lessons.Add(view.Progress.TryGetValue(lesson.LessonId, out var p)
                ? ToProto(p)
                : new LessonProgress { LessonId = lesson.LessonId, TraineeId = traineeId });
        }
        response.CompletedCount = response.Lessons.Count(l => l.Completed);
        response.Percent = LessonRules.AveragePercent(response.Lessons.Sum(l => l.Percent), view.Lessons.Count);
        return response;
    }

    /// <summary>A programme's progress: its totals and one page of its active trainees.</summary>
    public static ProgrammeLessonProgress ToProto(string programmeId, ProgrammeProgressView view)
    {
        var response = new ProgrammeLessonProgress
        {
            ProgrammeId = programmeId,
            LessonCount = (int)view.LessonCount,
            TraineeCount = (int)view.Totals.TraineeCount,
            TraineesCompletedAll = (int)view.Totals.TraineesCompletedAll,
            Percent = LessonRules.AveragePercent(view.Totals.PercentSum, view.LessonCount, view.Totals.TraineeCount),
            NextPageToken = view.NextPageToken,
        };
        foreach (var enrolment in view.Trainees)
        {
            var rows = view.Progress[enrolment.TraineeId].ToList();
            response.Trainees.Add(new TraineeLessonSummary
            {
                TraineeId = enrolment.TraineeId,
                TraineeName = enrolment.TraineeName,
                CompletedCount = rows.Count(r => r.Completed == 1),
                Percent = LessonRules.AveragePercent(rows.Sum(r => r.Percent), view.LessonCount),
                LastReportedAt = rows.Count == 0 ? null : Instants.ToTimestamp(rows.Max(r => r.ReportedAt)),
            });
        }
        return response;
    }

    public static AssistanceRequest ToProto(AssistanceRow row) => new()
    {
        AssistanceRequestId = row.AssistanceRequestId,
        ProgrammeId = row.ProgrammeId,
        TraineeId = row.TraineeId,
        LessonId = row.LessonId,
        ProductStep = row.ProductStep,
        Description = row.Description,
        Origin = (AssistanceOrigin)row.Origin,
        Status = (AssistanceStatus)row.Status,
        InstructorId = row.InstructorId,
        BehindScheduleDay = row.BehindScheduleDay is { } day ? CalendarDays.ToDate(day) : null,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
        ClosedAt = row.ClosedAt is { } at ? Instants.ToTimestamp(at) : null,
    };

    public static HomeVisit ToProto(VisitRow row) => new()
    {
        HomeVisitId = row.HomeVisitId,
        AssistanceRequestId = row.AssistanceRequestId,
        ProgrammeId = row.ProgrammeId,
        TraineeId = row.TraineeId,
        InstructorId = row.InstructorId,
        Day = CalendarDays.ToDate(row.Day),
        WindowStart = ToTimeOfDay(row.WindowStartSeconds),
        WindowEnd = ToTimeOfDay(row.WindowEndSeconds),
        Address = row.Address,
        Outcome = (VisitOutcome)row.Outcome,
        OutcomeNotes = row.OutcomeNotes,
        VisitedAt = row.VisitedAt is { } at ? Instants.ToTimestamp(at) : null,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
        Status = (HomeVisitStatus)HomeVisitRules.StateOf(row.Outcome, row.CancelledAt),
        ChangeReason = row.ChangeReason,
        TimesMoved = (int)row.TimesMoved,
        CancelledAt = row.CancelledAt is { } cancelled ? Instants.ToTimestamp(cancelled) : null,
    };

    public static AttendanceRecord ToProto(AttendanceRow row) => new()
    {
        ProgrammeId = row.ProgrammeId,
        Day = CalendarDays.ToDate(row.Day),
        TraineeId = row.TraineeId,
        Status = (AttendanceStatus)row.Status,
        Note = row.Note,
        RecordedBy = row.RecordedBy,
        RecordedAt = Instants.ToTimestamp(row.RecordedAt),
    };

    public static RecordAttendanceResponse ToRecorded(IReadOnlyList<AttendanceRow> rows)
    {
        var response = new RecordAttendanceResponse();
        response.Records.Add(rows.Select(ToProto));
        return response;
    }
}

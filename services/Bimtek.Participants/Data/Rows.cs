namespace Bimtek.Participants.Data;

// Rows as classes with settable properties: Dapper converts INTEGER columns whether the engine
// hands back int32 (PostgreSQL) or int64 (SQLite).

public sealed class ProgrammeRow
{
    public string ProgrammeId { get; set; } = "";
    public string Code { get; set; } = "";
    public string Title { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public string Organisers { get; set; } = "[]";
    public string District { get; set; } = "";
    public string Province { get; set; } = "";
    public long Mode { get; set; }
    public string StartDay { get; set; } = "";
    public string EndDay { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public long Capacity { get; set; }
    public long TargetQuantity { get; set; }
    public long Status { get; set; }
    public string CancellationReason { get; set; } = "";
    public long Revision { get; set; }
    public long LastSequence { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    /// <summary>The office the programme belongs to; empty: the deployment's default office (programmes from before offices).</summary>
    public string Office { get; set; } = "";
}

public sealed class StaffRow
{
    public string ProgrammeId { get; set; } = "";
    public string PersonId { get; set; } = "";
    public long Role { get; set; }
    public string Name { get; set; } = "";
    public long AssignedAt { get; set; }
}

public sealed class PersonRow
{
    public string PersonId { get; set; } = "";
    public long Kind { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The lower-cased name the search orders by; read by the search only.</summary>
    public string NameFolded { get; set; } = "";
    public string Phone { get; set; } = "";
    public string District { get; set; } = "";
    public string? Subject { get; set; }
    public long? BirthYear { get; set; }
    public string? Village { get; set; }
    public string? GuardianName { get; set; }
    public long GuardianConsent { get; set; }
    public long? GuardianConsentAt { get; set; }
    public string? Organisation { get; set; }
    public long CreatedAt { get; set; }
    public string Email { get; set; } = "";
    public long Language { get; set; }
    public string GuardianPhone { get; set; } = "";

    /// <summary>Grows with every change of how the person is reached (what the notifications service keeps).</summary>
    public long ContactVersion { get; set; } = 1;
}

public sealed class EnrolmentRow
{
    public string EnrolmentId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public long Sequence { get; set; }
    public long Status { get; set; }
    public long EnrolledAt { get; set; }
    public long? WithdrawnAt { get; set; }
    public string WithdrawalReason { get; set; } = "";
    public string TraineeName { get; set; } = "";
}

public sealed class LessonRow
{
    public string LessonId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public long Position { get; set; }
    public string Title { get; set; } = "";
    public string VideoUrl { get; set; } = "";
    public long DurationSeconds { get; set; }
    public string ProductStep { get; set; } = "";
    public long CreatedAt { get; set; }
}

public sealed class ProgressRow
{
    public string LessonId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public long FurthestPositionSeconds { get; set; }
    public long Percent { get; set; }
    public long Completed { get; set; }
    public long ReportedAt { get; set; }
    public long? CompletedAt { get; set; }
}

public sealed class AssistanceRow
{
    public string AssistanceRequestId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string LessonId { get; set; } = "";
    public string ProductStep { get; set; } = "";
    public string Description { get; set; } = "";
    public long Origin { get; set; }
    public long Status { get; set; }
    public string InstructorId { get; set; } = "";
    public string? BehindScheduleDay { get; set; }
    public long CreatedAt { get; set; }
    public long? ClosedAt { get; set; }
}

public sealed class VisitRow
{
    public string HomeVisitId { get; set; } = "";
    public string AssistanceRequestId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string InstructorId { get; set; } = "";
    public string Day { get; set; } = "";
    public long WindowStartSeconds { get; set; }
    public long WindowEndSeconds { get; set; }
    public string Address { get; set; } = "";
    public long Outcome { get; set; }
    public string OutcomeNotes { get; set; } = "";
    public long? VisitedAt { get; set; }
    public long CreatedAt { get; set; }
    public long? CancelledAt { get; set; }
    public string ChangeReason { get; set; } = "";
    public long TimesMoved { get; set; }
}

public sealed class AttendanceRow
{
    public string ProgrammeId { get; set; } = "";
    public string Day { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public long EnrolmentSequence { get; set; }
    public long Status { get; set; }
    public string Note { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public long RecordedAt { get; set; }
}

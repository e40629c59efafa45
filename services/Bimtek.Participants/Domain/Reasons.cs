namespace Bimtek.Participants.Domain;

/// <summary>Stable <c>ErrorInfo.reason</c> values of this service; clients branch on them.</summary>
public static class Reasons
{
    public const string ProgrammeCodeTaken = "PROGRAMME_CODE_TAKEN";
    public const string SubjectTaken = "SUBJECT_TAKEN";
    public const string ProgrammeNotDraft = "PROGRAMME_NOT_DRAFT";
    public const string ProgrammeNotActive = "PROGRAMME_NOT_ACTIVE";
    public const string ProgrammeClosed = "PROGRAMME_CLOSED";
    public const string ProgrammeWithoutInstructor = "PROGRAMME_WITHOUT_INSTRUCTOR";
    public const string ProgrammeAtCapacity = "PROGRAMME_AT_CAPACITY";
    public const string StaffKindMismatch = "STAFF_KIND_MISMATCH";
    public const string StaffNotAssigned = "STAFF_NOT_ASSIGNED";
    public const string LastInstructor = "LAST_INSTRUCTOR";
    public const string NotATrainee = "NOT_A_TRAINEE";
    public const string GuardianConsentMissing = "GUARDIAN_CONSENT_MISSING";
    public const string AlreadyEnrolled = "ALREADY_ENROLLED";
    public const string EnrolmentWithdrawn = "ENROLMENT_WITHDRAWN";
    public const string TraineeNotEnrolled = "TRAINEE_NOT_ENROLLED";
    public const string LessonNotInProgramme = "LESSON_NOT_IN_PROGRAMME";
    public const string AssistanceRequestClosed = "ASSISTANCE_REQUEST_CLOSED";
    public const string VisitAlreadyScheduled = "VISIT_ALREADY_SCHEDULED";
    public const string NotAnInstructorOfProgramme = "NOT_AN_INSTRUCTOR_OF_PROGRAMME";
    public const string VisitAlreadyLogged = "VISIT_ALREADY_LOGGED";
    public const string VisitCancelled = "VISIT_CANCELLED";
}

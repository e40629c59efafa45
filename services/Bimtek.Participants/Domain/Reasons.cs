namespace Bimtek.Participants.Domain;

/// <summary>Stable <c>ErrorInfo.reason</c> values of this service; clients branch on them.</summary>
public static class Reasons
{
    /// <summary>Another programme already has this code (codes are unique).</summary>
    public const string ProgrammeCodeTaken = "PROGRAMME_CODE_TAKEN";

    /// <summary>Another person already has this sign-in subject.</summary>
    public const string SubjectTaken = "SUBJECT_TAKEN";

    /// <summary>Only a DRAFT programme can be activated; this one is active, completed or cancelled.</summary>
    public const string ProgrammeNotDraft = "PROGRAMME_NOT_DRAFT";

    /// <summary>Only an ACTIVE programme can be completed.</summary>
    public const string ProgrammeNotActive = "PROGRAMME_NOT_ACTIVE";

    /// <summary>The programme is completed or cancelled: no cancellation, enrolment, staff or lesson changes.</summary>
    public const string ProgrammeClosed = "PROGRAMME_CLOSED";

    /// <summary>A programme needs at least one instructor assigned before it is activated.</summary>
    public const string ProgrammeWithoutInstructor = "PROGRAMME_WITHOUT_INSTRUCTOR";

    /// <summary>Every seat of the programme is taken (active enrolments reached its capacity).</summary>
    public const string ProgrammeAtCapacity = "PROGRAMME_AT_CAPACITY";

    /// <summary>The person's kind does not fit the role (an instructor role needs an instructor, a health expert role a health expert).</summary>
    public const string StaffKindMismatch = "STAFF_KIND_MISMATCH";

    /// <summary>The person is not assigned to this programme, so cannot be unassigned.</summary>
    public const string StaffNotAssigned = "STAFF_NOT_ASSIGNED";

    /// <summary>An active programme keeps at least one instructor: its last one cannot be unassigned.</summary>
    public const string LastInstructor = "LAST_INSTRUCTOR";

    /// <summary>The person is not a trainee: only trainees are enrolled, have a guardian or get sign-in codes.</summary>
    public const string NotATrainee = "NOT_A_TRAINEE";

    /// <summary>The trainee is a minor in the programme's year and has no guardian's name and consent recorded.</summary>
    public const string GuardianConsentMissing = "GUARDIAN_CONSENT_MISSING";

    /// <summary>The trainee is already actively enrolled in this programme.</summary>
    public const string AlreadyEnrolled = "ALREADY_ENROLLED";

    /// <summary>The enrolment is already withdrawn.</summary>
    public const string EnrolmentWithdrawn = "ENROLMENT_WITHDRAWN";

    /// <summary>The trainee is not (or no longer) actively enrolled in the programme.</summary>
    public const string TraineeNotEnrolled = "TRAINEE_NOT_ENROLLED";

    /// <summary>The lesson named belongs to another programme.</summary>
    public const string LessonNotInProgramme = "LESSON_NOT_IN_PROGRAMME";

    /// <summary>The assistance request is resolved or closed: no visit can be scheduled for it.</summary>
    public const string AssistanceRequestClosed = "ASSISTANCE_REQUEST_CLOSED";

    /// <summary>The assistance request already has a home visit scheduled (move or cancel that visit instead).</summary>
    public const string VisitAlreadyScheduled = "VISIT_ALREADY_SCHEDULED";

    /// <summary>The visitor named is not an instructor of the programme.</summary>
    public const string NotAnInstructorOfProgramme = "NOT_AN_INSTRUCTOR_OF_PROGRAMME";

    /// <summary>The home visit's outcome is already logged: it can no longer be logged, moved or cancelled.</summary>
    public const string VisitAlreadyLogged = "VISIT_ALREADY_LOGGED";

    /// <summary>The home visit was cancelled, which is final: book a new visit instead.</summary>
    public const string VisitCancelled = "VISIT_CANCELLED";
}

namespace Bimtek.Production.Domain;

/// <summary>Stable ErrorInfo reasons of the production service.</summary>
internal static class Reasons
{
    /// <summary>The trainee is not (or no longer) actively enrolled in the programme.</summary>
    public const string NotEnrolled = "TRAINEE_NOT_ENROLLED";

    /// <summary>Output is reported only while the programme is active.</summary>
    public const string ProgrammeNotActive = "PROGRAMME_NOT_ACTIVE";

    /// <summary>The day is not one of the programme's days (start to end, inclusive).</summary>
    public const string DayOutsideProgramme = "DAY_OUTSIDE_PROGRAMME";

    /// <summary>The day has not come yet in the programme's time zone.</summary>
    public const string DayInFuture = "DAY_IN_FUTURE";

    /// <summary>The product code is not the product the programme makes.</summary>
    public const string ProductMismatch = "PRODUCT_NOT_OF_PROGRAMME";

    /// <summary>The product code is not in the materials catalogue.</summary>
    public const string ProductUnknown = "PRODUCT_UNKNOWN";

    /// <summary>The report was refused because the trainee's home lacks the material its units consume; each short material is a violation.</summary>
    public const string InsufficientMaterial = "INSUFFICIENT_MATERIAL";

    /// <summary>A report chosen for inspection is not recorded (still pending consumption, or refused).</summary>
    public const string ReportNotRecorded = "REPORT_NOT_RECORDED";

    /// <summary>The chosen reports (or the trainee's reports of that day) have no units left to inspect.</summary>
    public const string NothingToInspect = "NOTHING_TO_INSPECT";

    /// <summary>Accepted plus rejected units exceed the units left to inspect in the chosen reports.</summary>
    public const string ExceedsReported = "INSPECTING_MORE_THAN_REPORTED";

    /// <summary>The inspector named is not an instructor or health expert of the programme.</summary>
    public const string NotInspector = "NOT_AN_INSPECTOR_OF_PROGRAMME";

    /// <summary>Only a health expert of the programme may sign off a medical product's units.</summary>
    public const string NotHealthExpert = "SIGN_OFF_REQUIRES_HEALTH_EXPERT";

    /// <summary>Nothing of the inspection awaits a sign-off (not medical, or already signed off).</summary>
    public const string NotAwaitingSignOff = "NOT_AWAITING_SIGN_OFF";

    /// <summary>A sign-off's accepted plus rejected units must equal the units awaiting sign-off.</summary>
    public const string CountsDoNotAddUp = "COUNTS_DO_NOT_ADD_UP";

    /// <summary>A defect code is not on the product's active inspection checklist.</summary>
    public const string UnknownDefectCode = "DEFECT_CODE_NOT_IN_CHECKLIST";

    /// <summary>More units are sent back for rework than the inspection rejected and has not yet sent back.</summary>
    public const string ReworkExceedsRejected = "REWORK_EXCEEDS_REJECTED";

    /// <summary>The rework order has no open units left.</summary>
    public const string ReworkOrderClosed = "REWORK_ORDER_NOT_OPEN";

    /// <summary>More reworked units are reported than the rework order has open.</summary>
    public const string ReworkExceedsOrder = "REWORK_EXCEEDS_ORDER";

    // Photos (Domain/PhotoRules.cs).

    /// <summary>The photo's Content-Type is not JPEG, PNG or WebP (HTTP 415).</summary>
    public const string PhotoTypeNotSupported = "PHOTO_TYPE_NOT_SUPPORTED";

    /// <summary>The photo's bytes are not the format its Content-Type names (HTTP 415).</summary>
    public const string PhotoContentTypeMismatch = "PHOTO_CONTENT_TYPE_MISMATCH";

    /// <summary>The photo is larger than the upload limit in bytes (HTTP 413).</summary>
    public const string PhotoTooLarge = "PHOTO_TOO_LARGE";

    /// <summary>The image has more pixels than accepted, however small the file (HTTP 413).</summary>
    public const string PhotoDimensionsTooLarge = "PHOTO_DIMENSIONS_TOO_LARGE";

    /// <summary>The body is empty or does not decode as an image.</summary>
    public const string PhotoUnreadable = "PHOTO_UNREADABLE";

    /// <summary>A photo id is unknown or was uploaded for another programme.</summary>
    public const string PhotoNotOfProgramme = "PHOTO_NOT_OF_PROGRAMME";

    /// <summary>A photo shows another trainee's work (or, on a trainee's own report, is a staff photo).</summary>
    public const string PhotoNotOfTrainee = "PHOTO_NOT_OF_TRAINEE";

    // Lesson videos (Domain/VideoRules.cs).

    /// <summary>A lesson video's Content-Type is not <c>video/mp4</c> or <c>video/webm</c> (HTTP 415); nothing is stored.</summary>
    public const string VideoTypeNotSupported = "VIDEO_TYPE_NOT_SUPPORTED";

    /// <summary>A lesson video's bytes are not the format its Content-Type names (HTTP 415); nothing is stored.</summary>
    public const string VideoContentTypeMismatch = "VIDEO_CONTENT_TYPE_MISMATCH";

    /// <summary>A lesson video is larger than <c>Videos:MaxUploadBytes</c> (HTTP 413); nothing is stored.</summary>
    public const string VideoTooLarge = "VIDEO_TOO_LARGE";

    /// <summary>A lesson video upload has an empty body (HTTP 400).</summary>
    public const string VideoUnreadable = "VIDEO_UNREADABLE";

    /// <summary>A video's <c>Range</c> starts at or past its end (HTTP 416, <c>Content-Range: bytes */length</c>).</summary>
    public const string RangeNotSatisfiable = "RANGE_NOT_SATISFIABLE";
}

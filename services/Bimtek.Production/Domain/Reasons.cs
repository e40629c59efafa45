namespace Bimtek.Production.Domain;

/// <summary>Stable ErrorInfo reasons of the production service.</summary>
internal static class Reasons
{
    public const string NotEnrolled = "TRAINEE_NOT_ENROLLED";
    public const string ProgrammeNotActive = "PROGRAMME_NOT_ACTIVE";
    public const string DayOutsideProgramme = "DAY_OUTSIDE_PROGRAMME";
    public const string DayInFuture = "DAY_IN_FUTURE";
    public const string ProductMismatch = "PRODUCT_NOT_OF_PROGRAMME";
    public const string ProductUnknown = "PRODUCT_UNKNOWN";
    public const string InsufficientMaterial = "INSUFFICIENT_MATERIAL";
    public const string ReportNotRecorded = "REPORT_NOT_RECORDED";
    public const string NothingToInspect = "NOTHING_TO_INSPECT";
    public const string ExceedsReported = "INSPECTING_MORE_THAN_REPORTED";
    public const string NotInspector = "NOT_AN_INSPECTOR_OF_PROGRAMME";
    public const string NotHealthExpert = "SIGN_OFF_REQUIRES_HEALTH_EXPERT";
    public const string NotAwaitingSignOff = "NOT_AWAITING_SIGN_OFF";
    public const string CountsDoNotAddUp = "COUNTS_DO_NOT_ADD_UP";
    public const string UnknownDefectCode = "DEFECT_CODE_NOT_IN_CHECKLIST";
    public const string ReworkExceedsRejected = "REWORK_EXCEEDS_REJECTED";
    public const string ReworkOrderClosed = "REWORK_ORDER_NOT_OPEN";
    public const string ReworkExceedsOrder = "REWORK_EXCEEDS_ORDER";

    // Photos (Domain/PhotoRules.cs).
    public const string PhotoTypeNotSupported = "PHOTO_TYPE_NOT_SUPPORTED";
    public const string PhotoContentTypeMismatch = "PHOTO_CONTENT_TYPE_MISMATCH";
    public const string PhotoTooLarge = "PHOTO_TOO_LARGE";
    public const string PhotoDimensionsTooLarge = "PHOTO_DIMENSIONS_TOO_LARGE";
    public const string PhotoUnreadable = "PHOTO_UNREADABLE";
    public const string PhotoNotOfProgramme = "PHOTO_NOT_OF_PROGRAMME";
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

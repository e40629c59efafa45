namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// The domain reasons (<c>ErrorInfo.reason</c>) each RPC can answer besides the shared ones, read from the
/// services' handlers and the domain rules they call. FAILED_PRECONDITION reasons come back as HTTP 400 (as
/// transcoding maps them), ALREADY_EXISTS reasons as 409. The gateway tests check that every reason the services
/// define is listed here for at least one operation, so a new reason cannot stay undocumented.
/// </summary>
public static class OperationReasons
{
    /// <summary>Reasons answered with FAILED_PRECONDITION (or a specific INVALID_ARGUMENT), HTTP 400, per RPC name.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Precondition = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // participants
        ["ActivateProgramme"] = ["PROGRAMME_NOT_DRAFT", "PROGRAMME_WITHOUT_INSTRUCTOR"],
        ["CompleteProgramme"] = ["PROGRAMME_NOT_ACTIVE"],
        ["CancelProgramme"] = ["PROGRAMME_CLOSED"],
        ["AssignStaff"] = ["PROGRAMME_CLOSED", "STAFF_KIND_MISMATCH"],
        ["UnassignStaff"] = ["STAFF_NOT_ASSIGNED", "LAST_INSTRUCTOR"],
        ["RecordGuardianConsent"] = ["NOT_A_TRAINEE"],
        ["UpdatePersonContact"] = ["NOT_A_TRAINEE"],
        ["Enrol"] = ["PROGRAMME_CLOSED", "NOT_A_TRAINEE", "GUARDIAN_CONSENT_MISSING", "ALREADY_ENROLLED", "PROGRAMME_AT_CAPACITY"],
        ["WithdrawEnrolment"] = ["ENROLMENT_WITHDRAWN"],
        ["AddLesson"] = ["PROGRAMME_CLOSED"],
        ["RecordLessonProgress"] = ["TRAINEE_NOT_ENROLLED"],
        ["OpenAssistanceRequest"] = ["TRAINEE_NOT_ENROLLED", "LESSON_NOT_IN_PROGRAMME"],
        ["OpenBehindScheduleRequest"] = ["TRAINEE_NOT_ENROLLED"],
        ["ScheduleHomeVisit"] = ["NOT_AN_INSTRUCTOR_OF_PROGRAMME", "VISIT_ALREADY_SCHEDULED", "ASSISTANCE_REQUEST_CLOSED"],
        ["LogHomeVisitOutcome"] = ["VISIT_ALREADY_LOGGED", "VISIT_CANCELLED"],
        ["MoveHomeVisit"] = ["VISIT_ALREADY_LOGGED", "VISIT_CANCELLED"],
        ["CancelHomeVisit"] = ["VISIT_ALREADY_LOGGED", "VISIT_CANCELLED"],
        ["RecordAttendance"] = ["TRAINEE_NOT_ENROLLED"],
        // materials
        ["ReceiveStock"] = ["WRONG_LOCATION_KIND", "QUANTITY_OUT_OF_RANGE"],
        ["TransferStock"] = ["WRONG_LOCATION_KIND", "INSUFFICIENT_STOCK", "QUANTITY_OUT_OF_RANGE"],
        ["ReturnStock"] = ["WRONG_LOCATION_KIND", "INSUFFICIENT_STOCK", "QUANTITY_OUT_OF_RANGE"],
        ["AdjustStock"] = ["INSUFFICIENT_STOCK", "QUANTITY_OUT_OF_RANGE"],
        ["PlanKits"] = ["NO_BILL_OF_MATERIALS", "WRONG_LOCATION_KIND", "QUANTITY_OUT_OF_RANGE"],
        ["DispatchKitPlan"] = ["INSUFFICIENT_STOCK", "QUANTITY_OUT_OF_RANGE"],
        ["ConsumeForOutput"] = ["NO_BILL_OF_MATERIALS", "REPORT_ID_REUSED", "INSUFFICIENT_STOCK", "QUANTITY_OUT_OF_RANGE"],
        ["GetCapacity"] = ["NO_BILL_OF_MATERIALS"],
        // production
        ["ReportOutput"] =
        [
            "TRAINEE_NOT_ENROLLED", "PROGRAMME_NOT_ACTIVE", "DAY_OUTSIDE_PROGRAMME", "DAY_IN_FUTURE", "PRODUCT_NOT_OF_PROGRAMME",
            "PRODUCT_UNKNOWN", "INSUFFICIENT_MATERIAL", "REWORK_ORDER_NOT_OPEN", "REWORK_EXCEEDS_ORDER", "PHOTO_NOT_OF_PROGRAMME", "PHOTO_NOT_OF_TRAINEE",
        ],
        ["InspectOutput"] =
        [
            "NOTHING_TO_INSPECT", "REPORT_NOT_RECORDED", "INSPECTING_MORE_THAN_REPORTED", "NOT_AN_INSPECTOR_OF_PROGRAMME", "DEFECT_CODE_NOT_IN_CHECKLIST",
            "PHOTO_NOT_OF_PROGRAMME", "PHOTO_NOT_OF_TRAINEE",
        ],
        ["SignOffInspection"] =
        [
            "SIGN_OFF_REQUIRES_HEALTH_EXPERT", "NOT_AWAITING_SIGN_OFF", "COUNTS_DO_NOT_ADD_UP", "DEFECT_CODE_NOT_IN_CHECKLIST",
            "PHOTO_NOT_OF_PROGRAMME", "PHOTO_NOT_OF_TRAINEE",
        ],
        // Production's photo upload (plain HTTP, not in protos/): its operation and statuses are PhotoOperations'.
        ["UploadPhoto"] = ["PHOTO_TYPE_NOT_SUPPORTED", "PHOTO_CONTENT_TYPE_MISMATCH", "PHOTO_TOO_LARGE", "PHOTO_DIMENSIONS_TOO_LARGE", "PHOTO_UNREADABLE"],
        // Production's lesson videos (plain HTTP): their operations and statuses are VideoOperations'.
        ["UploadLessonVideo"] = ["VIDEO_TYPE_NOT_SUPPORTED", "VIDEO_CONTENT_TYPE_MISMATCH", "VIDEO_TOO_LARGE", "VIDEO_UNREADABLE"],
        ["GetLessonVideo"] = ["RANGE_NOT_SATISFIABLE"],
        ["SendBackForRework"] = ["REWORK_EXCEEDS_REJECTED"],
        // distribution
        ["CreateHandover"] = ["NOT_ENOUGH_GOODS"],
        ["CancelHandover"] = ["HANDOVER_CONFIRMED", "HANDOVER_CANCELLED", "GOODS_ALREADY_PASSED_ON"],
        ["ConfirmHandover"] = ["HANDOVER_CANCELLED"],
        ["RecordOnwardDelivery"] = ["HANDOVER_CANCELLED", "MORE_THAN_RECEIVED"],
        // coordinator
        ["OverrideQuota"] = ["PROGRAMME_NOT_ACTIVE", "TRAINEE_NOT_ENROLLED", "OVERRIDE_CANNOT_BE_ABSORBED"],
        ["ClearQuotaOverride"] = ["PROGRAMME_NOT_ACTIVE", "TRAINEE_NOT_ENROLLED", "OVERRIDE_CANNOT_BE_ABSORBED"],
        // identity
        ["IssueSignInCode"] = ["NOT_A_TRAINEE", "ACCOUNT_DISABLED"],
        ["IssueInvitation"] = ["NOT_INVITABLE"],
        // notifications
        ["ResendMessage"] = ["MESSAGE_NOT_RESENDABLE"],
        ["SetContact"] = ["INVALID_PHONE"],
        ["ReceiveEvent"] = ["INVALID_TIME_ZONE"],
    };

    /// <summary>Reasons answered with ALREADY_EXISTS, HTTP 409, per RPC name.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Conflict = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["CreateProgramme"] = ["PROGRAMME_CODE_TAKEN"],
        ["RegisterTrainee"] = ["SUBJECT_TAKEN"],
        ["RegisterStaff"] = ["SUBJECT_TAKEN"],
        ["CreateMaterial"] = ["MATERIAL_CODE_TAKEN"],
        ["CreateProduct"] = ["PRODUCT_CODE_TAKEN"],
        ["IssueSignInCode"] = ["ALREADY_ISSUED"],
        ["IssueInvitation"] = ["ALREADY_ISSUED"],
    };

    /// <summary>Every domain reason listed for any operation.</summary>
    public static IEnumerable<string> All => Precondition.Values.Concat(Conflict.Values).SelectMany(r => r).Distinct(StringComparer.Ordinal);
}

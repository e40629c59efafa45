namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// Stable <c>ErrorInfo.reason</c> values shared by every service. Clients branch on these, so a
/// value never changes meaning once published; services add their own domain reasons beside them
/// (each in its <c>Domain/Reasons.cs</c>). The full list, generated from the code, is docs/reasons.md.
/// </summary>
public static class ErrorReasons
{
    public const string Domain = "bimtek.id";

    /// <summary>The <c>request_id</c> was used before for a different request (or is older than the replay window): choose a new one.</summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary>A record the request names does not exist (HTTP 404); a <c>google.rpc.ResourceInfo</c> names it.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>No valid token or API key (HTTP 401).</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>The caller's roles or relation to the record do not allow this, whether or not the record exists (HTTP 403).</summary>
    public const string PermissionDenied = "PERMISSION_DENIED";

    /// <summary>The service, its database or a service it depends on is unavailable: retry with the same <c>request_id</c> (HTTP 503).</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>An unexpected failure, logged with its trace; nothing internal in the answer (HTTP 500).</summary>
    public const string Internal = "INTERNAL";

    // ----- Validation: the reason of each BadRequest field violation, and the ErrorInfo.reason of the error
    // when all its violations share one (else InvalidFields). -----

    /// <summary>Several fields are invalid for different reasons: each field violation carries its own.</summary>
    public const string InvalidFields = "INVALID_FIELDS";

    /// <summary>A required field is missing or blank.</summary>
    public const string FieldRequired = "FIELD_REQUIRED";

    /// <summary>A text field is longer than the operation accepts.</summary>
    public const string FieldTooLong = "FIELD_TOO_LONG";

    /// <summary>A number (or a count of items) is outside the range the message states.</summary>
    public const string ValueOutOfRange = "VALUE_OUT_OF_RANGE";

    /// <summary>An id is not one this suite hands out (ids are UUIDs); answered before any lookup, so never 404.</summary>
    public const string MalformedId = "MALFORMED_ID";

    /// <summary><c>request_id</c> is not a UUID.</summary>
    public const string MalformedRequestId = "MALFORMED_REQUEST_ID";

    /// <summary>An enum field holds a value the contract does not define (or UNSPECIFIED where a value is needed).</summary>
    public const string InvalidEnumValue = "INVALID_ENUM_VALUE";

    /// <summary>A calendar day or instant is not a valid one.</summary>
    public const string InvalidDate = "INVALID_DATE";

    /// <summary>A URL is not an absolute http(s) URL.</summary>
    public const string InvalidUrl = "INVALID_URL";

    /// <summary><c>page_token</c> is not one this list returned.</summary>
    public const string InvalidPageToken = "INVALID_PAGE_TOKEN";

    /// <summary>A query parameter names no field of the operation (REST).</summary>
    public const string UnknownField = "UNKNOWN_FIELD";

    /// <summary>A query parameter or path variable does not hold a value of its field's type (REST).</summary>
    public const string WrongValueType = "WRONG_VALUE_TYPE";

    /// <summary>The body is missing, or is not valid JSON for the request (unknown field, wrong type…) (REST).</summary>
    public const string MalformedBody = "MALFORMED_BODY";

    /// <summary>A value breaks a rule of its own stated in the violation's description.</summary>
    public const string InvalidValue = "INVALID_VALUE";
}

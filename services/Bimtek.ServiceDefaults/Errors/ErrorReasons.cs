namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// Stable <c>ErrorInfo.reason</c> values shared by every service. Clients branch on these, so a
/// value never changes meaning once published; services add their own domain reasons beside them.
/// </summary>
public static class ErrorReasons
{
    public const string Domain = "bimtek.id";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string RequestIdReused = "REQUEST_ID_REUSED";
    public const string NotFound = "NOT_FOUND";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string Unavailable = "UNAVAILABLE";
    public const string Internal = "INTERNAL";
}

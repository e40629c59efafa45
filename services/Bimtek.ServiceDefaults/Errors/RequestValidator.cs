using Google.Protobuf;

namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// Collects every problem of a request before answering, so a caller fixes all fields in one go.
/// <code>
/// new RequestValidator()
///     .RequestId(request.RequestId)
///     .Required("title", request.Title, maxLength: 200)
///     .Range("capacity", request.Capacity, 1, 10_000)
///     .ThrowIfInvalid();
/// </code>
/// </summary>
public sealed class RequestValidator
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    private readonly List<FieldViolation> _violations = [];

    public bool IsValid => _violations.Count == 0;

    /// <summary>A violation of a rule of its own (without <paramref name="reason"/>: see <see cref="ValidationException"/>).</summary>
    public RequestValidator Add(string field, string description, string? reason = null)
    {
        _violations.Add(new FieldViolation(field, description, reason));
        return this;
    }

    public RequestValidator When(bool broken, string field, string description, string? reason = null) =>
        broken ? Add(field, description, reason) : this;

    /// <summary>The idempotency key: a UUID chosen by the client (AIP-155).</summary>
    public RequestValidator RequestId(string value, string field = "request_id") =>
        Guid.TryParse(value, out _) ? this
        : string.IsNullOrEmpty(value) ? Add(field, "is required: a UUID chosen by the client", ErrorReasons.FieldRequired)
        : Add(field, "must be a UUID chosen by the client", ErrorReasons.MalformedRequestId);

    public RequestValidator Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required", ErrorReasons.FieldRequired);
        }
        return MaxLength(field, value, maxLength);
    }

    public RequestValidator Optional(string field, string? value, int maxLength = 200) =>
        string.IsNullOrEmpty(value) ? this : MaxLength(field, value, maxLength);

    public RequestValidator MaxLength(string field, string? value, int maxLength) =>
        value is not null && value.Length > maxLength ? Add(field, $"must be at most {maxLength} characters", ErrorReasons.FieldTooLong) : this;

    /// <summary>An id this suite hands out (a UUID): a malformed one is INVALID_ARGUMENT (HTTP 400), never NOT_FOUND.</summary>
    public RequestValidator Id(string field, string? value) =>
        Guid.TryParse(value, out _) ? this
        : string.IsNullOrEmpty(value) ? Add(field, "is required", ErrorReasons.FieldRequired)
        : Add(field, "must be an id returned by the service", ErrorReasons.MalformedId);

    public RequestValidator Range(string field, long value, long min, long max) =>
        value < min || value > max ? Add(field, $"must be between {min} and {max}", ErrorReasons.ValueOutOfRange) : this;

    public RequestValidator Positive(string field, long value, long max) => Range(field, value, 1, max);

    public RequestValidator Defined<TEnum>(string field, TEnum value, bool allowUnspecified = false)
        where TEnum : struct, Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (!Enum.IsDefined(value) || (!allowUnspecified && number == 0))
        {
            return Add(field, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>().Skip(allowUnspecified ? 0 : 1))}", ErrorReasons.InvalidEnumValue);
        }
        return this;
    }

    public RequestValidator Date(string field, Google.Type.Date? value, bool required = true)
    {
        if (value is null)
        {
            return required ? Add(field, "is required", ErrorReasons.FieldRequired) : this;
        }
        return TryToDateOnly(value, out _) ? this : Add(field, "must be a valid calendar day", ErrorReasons.InvalidDate);
    }

    public RequestValidator Url(string field, string? value, bool required = false, int maxLength = 2000)
    {
        if (string.IsNullOrEmpty(value))
        {
            return required ? Add(field, "is required", ErrorReasons.FieldRequired) : this;
        }
        var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
        return ok ? MaxLength(field, value, maxLength) : Add(field, "must be an absolute http(s) URL", ErrorReasons.InvalidUrl);
    }

    public RequestValidator PageSize(int pageSize, string field = "page_size") =>
        pageSize < 0 || pageSize > MaxPageSize
            ? Add(field, $"must be between 0 and {MaxPageSize} (0 means {DefaultPageSize})", ErrorReasons.ValueOutOfRange)
            : this;

    public void ThrowIfInvalid()
    {
        if (_violations.Count > 0)
        {
            throw new ValidationException(_violations);
        }
    }

    public static bool TryToDateOnly(Google.Type.Date value, out DateOnly day) => Time.CalendarDays.TryToDateOnly(value, out day);

    /// <summary>Page size after defaults: 0 → <see cref="DefaultPageSize"/>.</summary>
    public static int EffectivePageSize(int requested) => requested == 0 ? DefaultPageSize : requested;

    /// <summary>Fails unless a message field is set (proto3 message fields are null when absent).</summary>
    public RequestValidator Present(string field, IMessage? value) => value is null ? Add(field, "is required", ErrorReasons.FieldRequired) : this;
}

using Google.Rpc;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// A rule of the domain refused the request. Thrown by domain and validation code; the error
/// interceptor turns it into a gRPC status with <c>google.rpc.Status</c> details, which JSON
/// transcoding carries to REST callers. Handlers never build <see cref="RpcException"/> themselves.
/// </summary>
public abstract class DomainException(StatusCode code, string reason, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    /// <summary>Stable, machine-readable <c>ErrorInfo.reason</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Extra <c>ErrorInfo.metadata</c> (small: details travel in a header).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();

    /// <summary>Details beside the <c>ErrorInfo</c>: field violations, precondition failures…</summary>
    public virtual IEnumerable<Google.Protobuf.IMessage> Details() => [];

    public Google.Rpc.Status ToStatus()
    {
        var status = new Google.Rpc.Status { Code = (int)Code, Message = Message };
        var info = new ErrorInfo { Reason = Reason, Domain = ErrorReasons.Domain };
        info.Metadata.Add(Metadata);
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(info));
        foreach (var detail in Details())
        {
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(detail));
        }
        return status;
    }
}

/// <summary>
/// INVALID_ARGUMENT with one <c>BadRequest</c> field violation per bad field, each with its own reason
/// (<see cref="FieldViolation.Reason"/>, else the error's explicit reason, else <see cref="ErrorReasons.FieldRequired"/> for
/// a description that starts "is required", else <see cref="ErrorReasons.InvalidValue"/>).
/// The <c>ErrorInfo.reason</c> is the explicit <paramref name="reason"/> when given (REQUEST_ID_REUSED…), else the
/// violations' reason when they share one, else <see cref="ErrorReasons.InvalidFields"/>: never a bare INVALID_ARGUMENT.
/// Fields are named by their proto names (<c>page_size</c>, <c>giver.name</c>); over REST the error interceptor
/// renames them to their JSON names (<see cref="WithJsonNames"/>).
/// </summary>
public sealed class ValidationException(IReadOnlyList<FieldViolation> violations, string? reason = null)
    : DomainException(StatusCode.InvalidArgument, ReasonOf(violations, reason), Describe(violations))
{
    private readonly string? _explicitReason = reason;

    public IReadOnlyList<FieldViolation> Violations { get; } =
        [.. violations.Select(v => v with { Reason = ReasonOf(v, reason) })];

    public ValidationException(string field, string description, string? reason = null)
        : this([new FieldViolation(field, description, reason)], reason)
    {
    }

    public override IEnumerable<Google.Protobuf.IMessage> Details()
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(Violations.Select(v => new BadRequest.Types.FieldViolation
        {
            Field = v.Field,
            Description = v.Description,
            Reason = v.Reason ?? ErrorReasons.InvalidValue,
        }));
        yield return badRequest;
    }

    /// <summary>The same error with every field path in JSON names (<c>giver.name</c>, <c>lines[2].materialId</c>), as REST callers write them.</summary>
    public ValidationException WithJsonNames(Google.Protobuf.Reflection.MessageDescriptor? request)
    {
        var renamed = new ValidationException([.. Violations.Select(v => v with { Field = FieldPaths.ToJson(v.Field, request) })], _explicitReason);
        foreach (var (key, value) in Metadata)
        {
            renamed.Metadata[key] = value;
        }
        return renamed;
    }

    private static string ReasonOf(IReadOnlyList<FieldViolation> violations, string? reason)
    {
        if (reason is not null)
        {
            return reason;
        }
        var reasons = violations.Select(v => ReasonOf(v, null)).Distinct(StringComparer.Ordinal).ToList();
        return reasons.Count == 1 ? reasons[0] : ErrorReasons.InvalidFields;
    }

    private static string ReasonOf(FieldViolation violation, string? reason) =>
        violation.Reason ?? reason
        ?? (violation.Description.StartsWith("is required", StringComparison.Ordinal) ? ErrorReasons.FieldRequired : ErrorReasons.InvalidValue);

    private static string Describe(IReadOnlyList<FieldViolation> violations) =>
        violations.Count == 1
            ? $"Invalid {violations[0].Field}: {violations[0].Description}"
            : $"The request has {violations.Count} invalid fields: {string.Join(", ", violations.Select(v => v.Field))}.";
}

/// <summary>One bad field: its path, what is wrong in words, and a stable UPPER_SNAKE reason (see <see cref="ErrorReasons"/>).</summary>
public sealed record FieldViolation(string Field, string Description, string? Reason = null);

/// <summary>FAILED_PRECONDITION: a business rule (capacity, stock, sign-off…) forbids the change.</summary>
public sealed class PreconditionException(string reason, string message, IReadOnlyList<PreconditionViolation>? violations = null)
    : DomainException(StatusCode.FailedPrecondition, reason, message)
{
    public IReadOnlyList<PreconditionViolation> Violations { get; } =
        violations ?? [new PreconditionViolation(reason, "", message)];

    public override IEnumerable<Google.Protobuf.IMessage> Details()
    {
        var failure = new PreconditionFailure();
        failure.Violations.Add(Violations.Select(v => new PreconditionFailure.Types.Violation
        {
            Type = v.Type,
            Subject = v.Subject,
            Description = v.Description,
        }));
        yield return failure;
    }
}

public sealed record PreconditionViolation(string Type, string Subject, string Description);

/// <summary>NOT_FOUND for an id that names nothing (only after the caller passed the access check).</summary>
public sealed class NotFoundException(string resourceType, string resourceName)
    : DomainException(StatusCode.NotFound, ErrorReasons.NotFound, $"{resourceType} '{resourceName}' was not found.")
{
    public override IEnumerable<Google.Protobuf.IMessage> Details()
    {
        yield return new ResourceInfo { ResourceType = resourceType, ResourceName = resourceName };
    }
}

/// <summary>
/// PERMISSION_DENIED. The message never says whether the record exists, so a caller cannot probe ids.
/// </summary>
public sealed class PermissionDeniedException(string message = "The caller may not perform this operation.")
    : DomainException(StatusCode.PermissionDenied, ErrorReasons.PermissionDenied, message);

/// <summary>ALREADY_EXISTS for a natural key (a programme code, a material code) taken by another record.</summary>
public sealed class AlreadyExistsException(string reason, string message)
    : DomainException(StatusCode.AlreadyExists, reason, message);

/// <summary>UNAVAILABLE: a dependency is down; the caller may retry with the same request_id.</summary>
public sealed class DependencyUnavailableException(string dependency, string message)
    : DomainException(StatusCode.Unavailable, ErrorReasons.Unavailable, message)
{
    public string Dependency { get; } = dependency;
}

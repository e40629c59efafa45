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

/// <summary>INVALID_ARGUMENT with one <c>BadRequest</c> field violation per bad field.</summary>
public sealed class ValidationException(IReadOnlyList<FieldViolation> violations, string reason = ErrorReasons.InvalidArgument)
    : DomainException(StatusCode.InvalidArgument, reason, Describe(violations))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    public ValidationException(string field, string description, string reason = ErrorReasons.InvalidArgument)
        : this([new FieldViolation(field, description)], reason)
    {
    }

    public override IEnumerable<Google.Protobuf.IMessage> Details()
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(Violations.Select(v => new BadRequest.Types.FieldViolation
        {
            Field = v.Field,
            Description = v.Description,
        }));
        yield return badRequest;
    }

    private static string Describe(IReadOnlyList<FieldViolation> violations) =>
        violations.Count == 1
            ? $"Invalid {violations[0].Field}: {violations[0].Description}"
            : $"The request has {violations.Count} invalid fields: {string.Join(", ", violations.Select(v => v.Field))}.";
}

public sealed record FieldViolation(string Field, string Description);

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

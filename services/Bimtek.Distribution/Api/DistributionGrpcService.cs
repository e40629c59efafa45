using Bimtek.Distribution.Application;
using Bimtek.Distribution.Documents;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Distribution.Api;

/// <summary>
/// The distribution contract (and, through JSON transcoding, its REST surface), split by area into the partial files
/// beside this one: recipients, finished goods, handovers, onward deliveries, reports. A handler checks the caller's
/// role, validates the request, makes one call — a use case of <c>Application/</c> (it checks object-level access, keeps
/// request_id idempotency, the transaction and the outbox) — and maps the answer (<see cref="ProtoMapping"/>; the
/// handover document and the report files: <c>Documents/</c>).
/// </summary>
internal sealed partial class DistributionGrpcService(
    Recipients recipients,
    Goods goods,
    Handovers handovers,
    OnwardDeliveries onward,
    Reports reports,
    HandoverDocumentRenderer documents,
    TimeProvider time) : DistributionService.DistributionServiceBase
{
    internal const int MaxUnits = 1_000_000;
    internal const int ProductCodeLength = 64;
}

/// <summary>Validation of the shapes this contract repeats.</summary>
internal static class DistributionValidation
{
    public static RequestValidator Signatory(this RequestValidator validator, string field, Common.V1.Signatory? signatory) =>
        signatory is null
            ? validator.Add(field, "is required")
            : validator.Required($"{field}.name", signatory.Name, 200).Required($"{field}.position", signatory.Position, 200);

    /// <summary>An optional id filter: empty, or an id this suite hands out.</summary>
    public static RequestValidator OptionalId(this RequestValidator validator, string field, string? value) =>
        string.IsNullOrEmpty(value) ? validator : validator.Id(field, value);
}

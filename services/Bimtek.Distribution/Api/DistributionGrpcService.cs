using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Application;
using Bimtek.Distribution.Documents;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.Hosting;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Microsoft.Extensions.Options;

namespace Bimtek.Distribution.Api;

/// <summary>
/// The distribution contract. Each RPC checks the caller's role, validates the request, then runs
/// its rules in one transaction (mutations through the request_id executor). Split by area into
/// the partial files beside this one.
/// </summary>
internal sealed partial class DistributionGrpcService(
    Database database,
    IdempotentExecutor idempotency,
    TimeProvider time,
    IOptions<DistributionOptions> options,
    DocumentNumberFormat documentNumbers,
    HandoverDocumentRenderer documents,
    RecipientAccounts accounts,
    HandoverNotifications notifications,
    CatalogueNames catalogue,
    ProgrammeOfficeCheck offices,
    OfficeScope officeScope,
    HandoverConfirmations confirmations) : DistributionService.DistributionServiceBase
{
    private const int MaxUnits = 1_000_000;
    private const int ProductCodeLength = 64;

    private string Now() => Data.Iso.Instant(time.GetUtcNow());

    /// <summary>The recipient, when the caller's office covers it: another office's recipient is answered as an unknown id.</summary>
    private async Task<Data.RecipientRow> RequireRecipientAsync(Data.Sql sql, ServiceDefaults.Security.Caller caller, string recipientId) =>
        await Data.RecipientStore.GetAsync(sql, recipientId) is { } recipient && Access.CoversRecipient(caller, officeScope, recipient)
            ? recipient
            : throw new NotFoundException("Recipient", recipientId);
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

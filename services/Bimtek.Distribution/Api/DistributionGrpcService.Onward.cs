using System.Globalization;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override async Task<OnwardDelivery> RecordOnwardDelivery(RecordOnwardDeliveryRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator, Roles.Recipient);
        var byHandover = !string.IsNullOrEmpty(request.HandoverId);
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Id("recipient_id", request.RecipientId)
            .OptionalId("handover_id", request.HandoverId)
            .Required("place", request.Place, 300)
            .Date("day", request.Day)
            .Positive("units", request.Units, MaxUnits)
            .Range("households", request.Households, 0, MaxUnits)
            .Optional("note", request.Note, 1000);
        if (byHandover)
        {
            validator.OptionalId("programme_id", request.ProgrammeId).Optional("product_code", request.ProductCode, ProductCodeLength);
        }
        else
        {
            validator.Id("programme_id", request.ProgrammeId).Required("product_code", request.ProductCode, ProductCodeLength);
        }
        validator.ThrowIfInvalid();

        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var sql = Sql.Of(session);
            // Whether the caller may act for this agency is decided before whether it exists.
            await Access.EnsureMayActForAsync(sql, caller, request.RecipientId);
            _ = await RequireRecipientAsync(sql, caller, request.RecipientId);
            var day = Iso.ToDateOnly(request.Day);
            string programmeId = request.ProgrammeId, productCode = request.ProductCode;

            if (byHandover)
            {
                var handover = await HandoverStore.GetAsync(sql, request.HandoverId);
                if (handover is null || handover.RecipientId != request.RecipientId
                    || !await offices.CoversAsync(caller, handover.ProgrammeId, context.CancellationToken))
                {
                    throw new NotFoundException("Handover", request.HandoverId);
                }
                new RequestValidator()
                    .When(programmeId.Length > 0 && programmeId != handover.ProgrammeId, "programme_id", "must be empty or the handover's programme")
                    .When(productCode.Length > 0 && productCode != handover.ProductCode, "product_code", "must be empty or the handover's product")
                    .When(day < Iso.ParseDay(handover.Day), "day", $"must not be before the handover day {handover.Day}")
                    .ThrowIfInvalid();
                if (handover.Status == HandoverStore.Cancelled)
                {
                    throw new PreconditionException(Reasons.HandoverCancelled, $"Handover {handover.DocumentNumber} was cancelled; nothing from it can be passed on.");
                }
                (programmeId, productCode) = (handover.ProgrammeId, handover.ProductCode);
                if (!await HandoverStore.TryPassOnAsync(sql, handover.HandoverId, request.Units))
                {
                    throw MoreThan(request.Units, handover.Units - handover.DeliveredUnits, $"handovers/{handover.HandoverId}",
                        $"handover {handover.DocumentNumber}");
                }
            }
            else
            {
                var firstDay = await HandoverStore.FirstDayAsync(sql, request.RecipientId, programmeId, productCode);
                new RequestValidator()
                    .When(firstDay is not null && day < Iso.ParseDay(firstDay), "day", $"must not be before the first handover of the goods ({firstDay})")
                    .ThrowIfInvalid();
            }

            // The recipient-wide bound holds for both kinds: never more passed on than received.
            if (!await HandoverStore.TryPassOnFromHoldingAsync(sql, request.RecipientId, programmeId, productCode, request.Units, request.Households))
            {
                var held = await HandoverStore.HeldAsync(sql, request.RecipientId, programmeId, productCode);
                throw MoreThan(request.Units, held, $"recipients/{request.RecipientId}/programmes/{programmeId}/products/{productCode}",
                    "the recipient");
            }
            var row = new OnwardDeliveryRow
            {
                OnwardDeliveryId = Guid.CreateVersion7().ToString(),
                RecipientId = request.RecipientId,
                HandoverId = request.HandoverId,
                ProgrammeId = programmeId,
                ProductCode = productCode,
                Place = request.Place.Trim(),
                Day = Iso.Day(day),
                Units = request.Units,
                Households = request.Households,
                Note = request.Note.Trim(),
                RecordedBy = caller.Subject,
                CreatedAt = Now(),
            };
            await OnwardDeliveryStore.InsertAsync(sql, row);
            return row.ToProto();
        }, context.CancellationToken);
    }

    public override async Task<ListOnwardDeliveriesResponse> ListOnwardDeliveries(ListOnwardDeliveriesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, OnwardDeliveryStore.Listing)
            .OptionalId("recipient_id", request.RecipientId)
            .OptionalId("handover_id", request.HandoverId)
            .OptionalId("programme_id", request.ProgrammeId)
            .ThrowIfInvalid();
        var pageOf = OnwardDeliveryStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (page, next) = OnwardDeliveryStore.Listing.Cut(await database.ReadAsync(
            sql => OnwardDeliveryStore.ListAsync(sql, request.RecipientId, request.HandoverId, request.ProgrammeId, scope, pageOf),
            context.CancellationToken), pageOf);
        var response = new ListOnwardDeliveriesResponse { NextPageToken = next };
        response.OnwardDeliveries.Add((await offices.VisibleAsync(caller, page, r => r.ProgrammeId, context.CancellationToken)).Select(r => r.ToProto()));
        return response;
    }

    private static PreconditionException MoreThan(int requested, long held, string subject, string source)
    {
        var message = $"Only {held} units received from {source} have not been passed on yet; {requested} were requested.";
        var error = new PreconditionException(Reasons.MoreThanReceived, message, [new PreconditionViolation(Reasons.MoreThanReceived, subject, message)]);
        error.Metadata["held_units"] = held.ToString(CultureInfo.InvariantCulture);
        error.Metadata["requested_units"] = requested.ToString(CultureInfo.InvariantCulture);
        return error;
    }
}

using System.Globalization;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Google.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override async Task<Handover> CreateHandover(CreateHandoverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator);
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Required("product_code", request.ProductCode, ProductCodeLength)
            .Positive("units", request.Units, MaxUnits)
            .Id("recipient_id", request.RecipientId)
            .Date("day", request.Day)
            .Required("place", request.Place, 300)
            .Signatory("giver", request.Giver)
            .Signatory("receiver", request.Receiver)
            .Optional("note", request.Note, 1000)
            .Optional("programme_title", request.ProgrammeTitle, 300)
            .Optional("product_name", request.ProductName, 200)
            .ThrowIfInvalid();
        var office = options.Value.OfficeCode;
        // Learned before the transaction (no lock is held while participants and materials answer) and stored with
        // the handover, so its document prints the same names whenever it is fetched.
        var names = await catalogue.ForHandoverAsync(request.ProgrammeId, request.ProgrammeTitle.Trim(), request.ProductCode,
            request.ProductName.Trim(), context.CancellationToken);

        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var sql = Sql.Of(session);
            var now = Now();
            var recipient = await RequireRecipientAsync(sql, caller, request.RecipientId);

            // Availability first (the guarded UPDATE locks the goods row), then the number: every
            // handover takes the two locks in this order, and a refused one takes no number.
            if (!await GoodsStore.TryTakeAsync(sql, request.ProgrammeId, request.ProductCode, request.Units, now))
            {
                var available = await GoodsStore.AvailableAsync(sql, request.ProgrammeId, request.ProductCode);
                throw NotEnough(request.ProgrammeId, request.ProductCode, request.Units, available);
            }
            var day = Iso.ToDateOnly(request.Day);
            var sequence = await HandoverStore.NextDocumentNumberAsync(sql, office, day.Year);
            var row = new HandoverRow
            {
                HandoverId = Guid.CreateVersion7().ToString(),
                DocumentNumber = documentNumbers.Format(sequence, office, day),
                ProgrammeId = request.ProgrammeId,
                ProgrammeTitle = names.ProgrammeTitle,
                ProgrammeCode = names.ProgrammeCode,
                ProductCode = request.ProductCode,
                ProductName = names.ProductName,
                Units = request.Units,
                RecipientId = recipient.RecipientId,
                RecipientName = recipient.Name,
                Day = Iso.Day(day),
                Place = request.Place.Trim(),
                GiverName = request.Giver.Name.Trim(),
                GiverPosition = request.Giver.Position.Trim(),
                ReceiverName = request.Receiver.Name.Trim(),
                ReceiverPosition = request.Receiver.Position.Trim(),
                Note = request.Note.Trim(),
                Status = HandoverStore.Issued,
                CreatedAt = now,
            };
            await HandoverStore.InsertAsync(sql, row, office, day.Year, sequence, caller.Subject);
            await HandoverStore.AddToHoldingAsync(sql, row.RecipientId, row.ProgrammeId, row.ProductCode, request.Units);
            await notifications.HandoverCreatedAsync(session, row, recipient);
            return row.ToProto();
        }, context.CancellationToken);
    }

    public override async Task<Handover> GetHandover(GetHandoverRequest request, ServerCallContext context) =>
        (await ReadHandoverAsync(request.HandoverId, context)).ToProto();

    public override async Task<ListHandoversResponse> ListHandovers(ListHandoversRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, HandoverStore.Listing)
            .OptionalId("programme_id", request.ProgrammeId)
            .OptionalId("recipient_id", request.RecipientId)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var pageOf = HandoverStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (page, next) = HandoverStore.Listing.Cut(await database.ReadAsync(
            sql => HandoverStore.ListAsync(sql, request.ProgrammeId, request.RecipientId, (long)request.Status, scope, pageOf),
            context.CancellationToken), pageOf);
        var response = new ListHandoversResponse { NextPageToken = next };
        response.Handovers.Add((await offices.VisibleAsync(caller, page, r => r.ProgrammeId, context.CancellationToken)).Select(r => r.ToProto()));
        return response;
    }

    public override async Task<Handover> CancelHandover(CancelHandoverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator);
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("handover_id", request.HandoverId)
            .Required("reason", request.Reason, 500)
            .ThrowIfInvalid();

        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var sql = Sql.Of(session);
            var now = Now();
            var handover = await HandoverStore.GetAsync(sql, request.HandoverId);
            // Another office's handover is answered as an unknown one.
            if (handover is null || !await offices.CoversAsync(caller, handover.ProgrammeId, context.CancellationToken))
            {
                throw new NotFoundException("Handover", request.HandoverId);
            }
            EnsureNotFinal(handover, "cancelled");
            // Goods row before holding row, the order CreateHandover locks them in; a refusal below rolls the return back.
            await GoodsStore.ReturnAsync(sql, handover.ProgrammeId, handover.ProductCode, handover.Units, now);
            if (handover.DeliveredUnits > 0
                || !await HandoverStore.TryRemoveFromHoldingAsync(sql, handover.RecipientId, handover.ProgrammeId, handover.ProductCode, handover.Units))
            {
                throw new PreconditionException(Reasons.GoodsPassedOn,
                    $"Handover {handover.DocumentNumber} cannot be cancelled: the recipient has already passed on goods it would take back.");
            }
            await HandoverStore.CancelAsync(sql, handover.HandoverId, request.Reason.Trim(), now);
            handover.Status = HandoverStore.Cancelled;
            handover.CancellationReason = request.Reason.Trim();
            handover.CancelledAt = now;
            return handover.ToProto();
        }, context.CancellationToken);
    }

    public override async Task<Handover> ConfirmHandover(ConfirmHandoverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator, Roles.Recipient);
        var now = time.GetUtcNow();
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("handover_id", request.HandoverId)
            .When(request.ReceivedAt is not null && request.ReceivedAt.ToDateTimeOffset() > now.AddMinutes(5), "received_at", "must not be in the future")
            .ThrowIfInvalid();

        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var sql = Sql.Of(session);
            var handover = await HandoverStore.GetAsync(sql, request.HandoverId);
            if (handover is null || !await offices.CoversAsync(caller, handover.ProgrammeId, context.CancellationToken))
            {
                // A recipient's user learns nothing about ids that are not their agency's, an operator nothing about another office's.
                throw caller.Is(Roles.Operator) ? new NotFoundException("Handover", request.HandoverId) : new PermissionDeniedException();
            }
            await Access.EnsureMayActForAsync(sql, caller, handover.RecipientId);
            if (handover.Status == HandoverStore.Cancelled)
            {
                throw new PreconditionException(Reasons.HandoverCancelled, $"Handover {handover.DocumentNumber} was cancelled and cannot be confirmed.");
            }
            if (handover.Status == HandoverStore.Confirmed)
            {
                return handover.ToProto();
            }
            var confirmedAt = Iso.Instant(request.ReceivedAt?.ToDateTimeOffset() ?? now);
            await HandoverStore.ConfirmAsync(sql, handover.HandoverId, confirmedAt);
            // Integrators' webhooks hear of it through notifications (outbox, this transaction).
            await confirmations.HandoverConfirmedAsync(session, handover, request.ReceivedAt?.ToDateTimeOffset() ?? now);
            handover.Status = HandoverStore.Confirmed;
            handover.ConfirmedAt = confirmedAt;
            return handover.ToProto();
        }, context.CancellationToken);
    }

    public override async Task<HttpBody> GetHandoverDocument(GetHandoverDocumentRequest request, ServerCallContext context)
    {
        var handover = await ReadHandoverAsync(request.HandoverId, context);
        var pdf = documents.Render(handover);
        var fileName = "BAST-" + string.Concat(handover.DocumentNumber.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_')) + ".pdf";
        context.GetHttpContext().Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        return new HttpBody { ContentType = "application/pdf", Data = ByteString.CopyFrom(pdf) };
    }

    private async Task<HandoverRow> ReadHandoverAsync(string handoverId, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator().Id("handover_id", handoverId).ThrowIfInvalid();
        return await database.ReadAsync(async sql =>
        {
            var handover = await HandoverStore.GetAsync(sql, handoverId);
            // Another office's handover (and its document) is answered as an unknown one.
            if (handover is null || !await offices.CoversAsync(caller, handover.ProgrammeId, context.CancellationToken))
            {
                throw scope is null ? new NotFoundException("Handover", handoverId) : new PermissionDeniedException();
            }
            await Access.EnsureMayReadAsync(sql, caller, handover.RecipientId);
            return handover;
        }, context.CancellationToken);
    }

    private static void EnsureNotFinal(HandoverRow handover, string action)
    {
        if (handover.Status == HandoverStore.Confirmed)
        {
            throw new PreconditionException(Reasons.HandoverConfirmed,
                $"Handover {handover.DocumentNumber} was confirmed received and cannot be {action}.");
        }
        if (handover.Status == HandoverStore.Cancelled)
        {
            throw new PreconditionException(Reasons.HandoverCancelled, $"Handover {handover.DocumentNumber} is already cancelled.");
        }
    }

    private static PreconditionException NotEnough(string programmeId, string productCode, int requested, long available)
    {
        var message = $"Only {available} units of {productCode} from programme {programmeId} are available; {requested} were requested.";
        var error = new PreconditionException(Reasons.NotEnoughGoods, message,
            [new PreconditionViolation(Reasons.NotEnoughGoods, $"programmes/{programmeId}/products/{productCode}", message)]);
        error.Metadata["available_units"] = available.ToString(CultureInfo.InvariantCulture);
        error.Metadata["requested_units"] = requested.ToString(CultureInfo.InvariantCulture);
        return error;
    }
}

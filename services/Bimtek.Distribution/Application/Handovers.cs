using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Api;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.Hosting;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Bimtek.Distribution.Application;

/// <summary>
/// Handovers of finished goods to recipients, each one idempotent transaction. Making one takes the goods (never more
/// than available: <see cref="GoodsStore.TryTakeAsync"/>, refused as <see cref="GoodsBounds.NotEnoughGoods"/>), then the
/// office's next document number (<see cref="DocumentNumberFormat"/>), adds to the recipient's holding and tells the
/// recipient through the outbox (<see cref="HandoverNotifications"/>). Cancelling gives the goods back and takes them back
/// from the recipient; confirming records their arrival and tells integrators (<see cref="HandoverConfirmations"/>). The
/// states: <see cref="HandoverLifecycle"/>. Another office's handover is answered as an unknown one.
/// </summary>
internal sealed class Handovers(
    IdempotentExecutor idempotency,
    Database database,
    TimeProvider time,
    IOptions<DistributionOptions> options,
    DocumentNumberFormat documentNumbers,
    CatalogueNames catalogue,
    HandoverNotifications notifications,
    HandoverConfirmations confirmations,
    ProgrammeOfficeCheck offices,
    OfficeScope officeScope)
{
    public async Task<TResponse> CreateAsync<TResponse>(Caller caller, CreateHandoverRequest request, Func<HandoverRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var office = options.Value.OfficeCode;
        // Learned before the transaction (no lock is held while participants and materials answer) and stored with
        // the handover, so its document prints the same names whenever it is fetched.
        var names = await catalogue.ForHandoverAsync(request.ProgrammeId, request.ProgrammeTitle.Trim(), request.ProductCode,
            request.ProductName.Trim(), cancellationToken);

        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var now = time.NowMs();
            var recipient = await Lookups.RequireRecipientAsync(session, caller, officeScope, request.RecipientId);

            // Availability first (the guarded UPDATE locks the goods row), then the number: every
            // handover takes the two locks in this order, and a refused one takes no number.
            if (!await GoodsStore.TryTakeAsync(session, request.ProgrammeId, request.ProductCode, request.Units, now))
            {
                var available = await GoodsStore.AvailableAsync(session, request.ProgrammeId, request.ProductCode);
                throw GoodsBounds.NotEnoughGoods(request.ProgrammeId, request.ProductCode, request.Units, available);
            }
            var day = CalendarDays.ToDateOnly(request.Day);
            var sequence = await HandoverStore.NextDocumentNumberAsync(session, office, day.Year);
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
                Day = CalendarDays.ToText(day),
                Place = request.Place.Trim(),
                GiverName = request.Giver.Name.Trim(),
                GiverPosition = request.Giver.Position.Trim(),
                ReceiverName = request.Receiver.Name.Trim(),
                ReceiverPosition = request.Receiver.Position.Trim(),
                Note = request.Note.Trim(),
                Status = (long)HandoverState.Issued,
                CreatedAt = now,
            };
            await HandoverStore.InsertAsync(session, row, office, day.Year, sequence, caller.Subject);
            await HoldingStore.AddAsync(session, row.RecipientId, row.ProgrammeId, row.ProductCode, request.Units);
            await notifications.HandoverCreatedAsync(session, row, recipient);
            return respond(row);
        }, cancellationToken);
    }

    public Task<TResponse> CancelAsync<TResponse>(Caller caller, CancelHandoverRequest request, Func<HandoverRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var now = time.NowMs();
            var handover = await HandoverStore.GetAsync(session, request.HandoverId);
            // Another office's handover is answered as an unknown one.
            if (handover is null || !await offices.CoversAsync(caller, handover.ProgrammeId, cancellationToken))
            {
                throw new NotFoundException("Handover", request.HandoverId);
            }
            var cancelled = HandoverLifecycle.Cancel(handover.DocumentNumber, handover.State);
            // Goods row before holding row, the order CreateAsync locks them in; a refusal below rolls the return back.
            await GoodsStore.ReturnAsync(session, handover.ProgrammeId, handover.ProductCode, handover.Units, now);
            HandoverLifecycle.EnsureTakenBack(handover.DocumentNumber, handover.DeliveredUnits == 0
                && await HoldingStore.TryTakeBackAsync(session, handover.RecipientId, handover.ProgrammeId, handover.ProductCode, handover.Units));
            await HandoverStore.CancelAsync(session, handover.HandoverId, request.Reason.Trim(), now);
            handover.Status = (long)cancelled;
            handover.CancellationReason = request.Reason.Trim();
            handover.CancelledAt = now;
            return respond(handover);
        }, cancellationToken);

    /// <summary>The recipient's user (or an operator) says the goods arrived, at <c>received_at</c> or else <paramref name="now"/>.</summary>
    public Task<TResponse> ConfirmAsync<TResponse>(Caller caller, ConfirmHandoverRequest request, DateTimeOffset now, Func<HandoverRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var handover = await HandoverStore.GetAsync(session, request.HandoverId);
            if (handover is null || !await offices.CoversAsync(caller, handover.ProgrammeId, cancellationToken))
            {
                // A recipient's user learns nothing about ids that are not their agency's, an operator nothing about another office's.
                throw caller.Is(Roles.Operator) ? new NotFoundException("Handover", request.HandoverId) : new PermissionDeniedException();
            }
            await Access.EnsureMayActForAsync(session, caller, handover.RecipientId);
            if (!HandoverLifecycle.NeedsConfirming(handover.DocumentNumber, handover.State))
            {
                return respond(handover);
            }
            var receivedAt = request.ReceivedAt?.ToDateTimeOffset() ?? now;
            var confirmedAt = Instants.ToUnixMs(receivedAt);
            await HandoverStore.ConfirmAsync(session, handover.HandoverId, confirmedAt);
            // Integrators' webhooks hear of it through notifications (outbox, this transaction).
            await confirmations.HandoverConfirmedAsync(session, handover, receivedAt);
            handover.Status = (long)HandoverState.Confirmed;
            handover.ConfirmedAt = confirmedAt;
            return respond(handover);
        }, cancellationToken);

    /// <summary>
    /// One handover for a reader (<paramref name="readScope"/>: <see cref="Access.ReadScope"/>): an unknown one, or another
    /// office's, is NOT_FOUND to those who read everything and PERMISSION_DENIED to recipients' users, as is another agency's.
    /// </summary>
    public Task<HandoverRow> ReadAsync(Caller caller, string? readScope, string handoverId, CancellationToken cancellationToken) =>
        database.ReadAsync(async db =>
        {
            var handover = await HandoverStore.GetAsync(db, handoverId);
            // Another office's handover (and its document) is answered as an unknown one.
            if (handover is null || !await offices.CoversAsync(caller, handover.ProgrammeId, cancellationToken))
            {
                throw readScope is null ? new NotFoundException("Handover", handoverId) : new PermissionDeniedException();
            }
            await Access.EnsureMayReadAsync(db, caller, handover.RecipientId);
            return handover;
        }, cancellationToken);

    /// <summary>A page of handovers, newest first; rows of another office's programmes are left out after the page is cut.</summary>
    public async Task<(List<HandoverRow> Rows, string NextPageToken)> ListAsync(Caller caller, string? readScope, ListHandoversRequest request,
        KeysetPage page, CancellationToken cancellationToken)
    {
        var (rows, next) = HandoverStore.Listing.Cut(await database.ReadAsync(
            db => HandoverStore.ListAsync(db, request.ProgrammeId, request.RecipientId, (long)request.Status, readScope, page),
            cancellationToken), page);
        return (await offices.VisibleAsync(caller, rows, r => r.ProgrammeId, cancellationToken), next);
    }
}

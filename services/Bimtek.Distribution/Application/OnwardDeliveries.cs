using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Api;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Distribution.Application;

/// <summary>
/// Onward deliveries: goods a recipient passed on to households, recorded by its own users or an operator, from one
/// handover or from what the recipient holds of a programme's product. Never more than received: from a handover
/// (<see cref="HandoverStore.TryPassOnAsync"/>) and recipient-wide for both kinds (<see cref="HoldingStore.TryPassOnAsync"/>),
/// refused as <see cref="GoodsBounds.MoreThanReceived"/>; what the request may say: <see cref="OnwardDeliveryRules"/>.
/// </summary>
internal sealed class OnwardDeliveries(IdempotentExecutor idempotency, Database database, ProgrammeOfficeCheck offices, OfficeScope officeScope,
    TimeProvider time)
{
    public Task<TResponse> RecordAsync<TResponse>(Caller caller, RecordOnwardDeliveryRequest request, Func<OnwardDeliveryRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            // Whether the caller may act for this agency is decided before whether it exists.
            await Access.EnsureMayActForAsync(session, caller, request.RecipientId);
            _ = await Lookups.RequireRecipientAsync(session, caller, officeScope, request.RecipientId);
            var day = CalendarDays.ToDateOnly(request.Day);
            string programmeId = request.ProgrammeId, productCode = request.ProductCode;

            if (!string.IsNullOrEmpty(request.HandoverId))
            {
                var handover = await HandoverStore.GetAsync(session, request.HandoverId);
                if (handover is null || handover.RecipientId != request.RecipientId
                    || !await offices.CoversAsync(caller, handover.ProgrammeId, cancellationToken))
                {
                    throw new NotFoundException("Handover", request.HandoverId);
                }
                OnwardDeliveryRules.EnsureMatchesHandover(programmeId, productCode, day, handover.ProgrammeId, handover.ProductCode,
                    CalendarDays.Parse(handover.Day));
                HandoverLifecycle.EnsureMayPassOn(handover.DocumentNumber, handover.State);
                (programmeId, productCode) = (handover.ProgrammeId, handover.ProductCode);
                if (!await HandoverStore.TryPassOnAsync(session, handover.HandoverId, request.Units))
                {
                    throw GoodsBounds.MoreThanReceived(request.Units, GoodsBounds.Left(handover.Units, handover.DeliveredUnits),
                        $"handovers/{handover.HandoverId}", $"handover {handover.DocumentNumber}");
                }
            }
            else
            {
                var firstDay = await HandoverStore.FirstDayAsync(session, request.RecipientId, programmeId, productCode);
                OnwardDeliveryRules.EnsureNotBeforeFirstHandover(day, firstDay is null ? null : CalendarDays.Parse(firstDay));
            }

            // The recipient-wide bound holds for both kinds: never more passed on than received.
            if (!await HoldingStore.TryPassOnAsync(session, request.RecipientId, programmeId, productCode, request.Units, request.Households))
            {
                var held = await HoldingStore.HeldAsync(session, request.RecipientId, programmeId, productCode);
                throw GoodsBounds.MoreThanReceived(request.Units, held, $"recipients/{request.RecipientId}/programmes/{programmeId}/products/{productCode}",
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
                Day = CalendarDays.ToText(day),
                Units = request.Units,
                Households = request.Households,
                Note = request.Note.Trim(),
                RecordedBy = caller.Subject,
                CreatedAt = time.NowMs(),
            };
            await OnwardDeliveryStore.InsertAsync(session, row);
            return respond(row);
        }, cancellationToken);

    /// <summary>A page, newest day first; rows of another office's programmes are left out after the page is cut.</summary>
    public async Task<(List<OnwardDeliveryRow> Rows, string NextPageToken)> ListAsync(Caller caller, string? readScope,
        ListOnwardDeliveriesRequest request, KeysetPage page, CancellationToken cancellationToken)
    {
        var (rows, next) = OnwardDeliveryStore.Listing.Cut(await database.ReadAsync(
            db => OnwardDeliveryStore.ListAsync(db, request.RecipientId, request.HandoverId, request.ProgrammeId, readScope, page),
            cancellationToken), page);
        return (await offices.VisibleAsync(caller, rows, r => r.ProgrammeId, cancellationToken), next);
    }
}

using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Distribution.Application;

/// <summary>
/// Finished goods per programme and product: added by production's accepted-goods effect (delivered by production's
/// outbox, so <c>request_id</c> is production's message id and a redelivery replays the stored answer and adds nothing),
/// taken by handovers (<see cref="Handovers"/>).
/// </summary>
internal sealed class Goods(IdempotentExecutor idempotency, Database database, ProgrammeOfficeCheck offices, TimeProvider time)
{
    public Task ReceiveAsync(ReceiveAcceptedGoodsRequest request, CancellationToken cancellationToken) =>
        idempotency.ExecuteAsync(request.RequestId, request, session =>
            GoodsStore.ReceiveAsync(session, request.RequestId, request.InspectionId, request.ProgrammeId, request.TraineeId,
                request.ProductCode, request.Units, Instants.ToUnixMs(request.AcceptedAt), time.NowMs()), cancellationToken);

    /// <summary>A page by programme and product; rows of another office's programmes are left out after the page is cut.</summary>
    public async Task<(List<FinishedGoodsRow> Rows, string NextPageToken)> ListAsync(Caller caller, ListFinishedGoodsRequest request, KeysetPage page,
        CancellationToken cancellationToken)
    {
        var (rows, next) = GoodsStore.Listing.Cut(await database.ReadAsync(
            db => GoodsStore.ListAsync(db, request.ProgrammeId, request.ProductCode, request.AvailableOnly, page),
            cancellationToken), page);
        return (await offices.VisibleAsync(caller, rows, r => r.ProgrammeId, cancellationToken), next);
    }
}

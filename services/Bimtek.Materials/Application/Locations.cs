using Bimtek.Data.Idempotency;
using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Materials.Application;

/// <summary>
/// Warehouses and district offices, created by operators (trainee homes are created by kit dispatch,
/// <see cref="KitPlanning"/>). Idempotent on request_id; the executor stores the answer for replays, so the
/// handler gives the mapping that makes it from the row written.
/// </summary>
internal sealed class Locations(IdempotentExecutor idempotency, TimeProvider clock)
{
    /// <summary>A location of <paramref name="office"/>, which the handler resolved and checked against the caller's.</summary>
    public Task<TResponse> CreateAsync<TResponse>(CreateLocationRequest request, string office, Func<LocationRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var row = new LocationRow
            {
                LocationId = Guid.NewGuid().ToString(),
                Kind = (int)request.Kind,
                Name = request.Name.Trim(),
                District = request.District.Trim(),
                CreatedAt = clock.NowMs(),
                Office = office,
            };
            await LocationStore.InsertAsync(session, row);
            return respond(row);
        }, cancellationToken);
}

using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override Task<Location> CreateLocation(CreateLocationRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId)
            .When(request.Kind is not (LocationKind.ProvincialWarehouse or LocationKind.DistrictOffice), "kind",
                "must be LOCATION_KIND_PROVINCIAL_WAREHOUSE or LOCATION_KIND_DISTRICT_OFFICE (trainee homes are created by kit dispatch)")
            .Required("name", request.Name, 200)
            .Optional("district", request.District, 100)
            .ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var row = new LocationRow
            {
                LocationId = Guid.NewGuid().ToString(),
                Kind = (int)request.Kind,
                Name = request.Name.Trim(),
                District = request.District.Trim(),
                CreatedAt = Now(),
            };
            await session.ExecuteAsync(
                "INSERT INTO locations (location_id, kind, name, district, trainee_id, trainee_subject, created_at) " +
                "VALUES (@LocationId, @Kind, @Name, @District, NULL, '', @CreatedAt)",
                row);
            return ProtoMapping.ToLocation(row);
        }, context.CancellationToken);
    }

    public override async Task<Location> GetLocation(GetLocationRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await ReadAsync(context, async db =>
        {
            await Access.EnsureCanReadLocationAsync(caller, db, request.LocationId);
            new RequestValidator().Id("location_id", request.LocationId).ThrowIfInvalid();
            return ProtoMapping.ToLocation(await RequireLocationAsync(db, request.LocationId));
        });
    }

    public override async Task<ListLocationsResponse> ListLocations(ListLocationsRequest request, ServerCallContext context)
    {
        Access.StaffReader(context.GetCaller());
        var validator = new RequestValidator().PageSize(request.PageSize).Defined("kind", request.Kind, allowUnspecified: true);
        OptionalId(validator, "trainee_id", request.TraineeId).ThrowIfInvalid();
        var page = ListQueries.Locations.Page(request.PageToken, Limit(request.PageSize));
        var (rows, next) = ListQueries.Locations.Cut(await ReadAsync(context, db => ListQueries.LocationsAsync(db, (int)request.Kind, request.TraineeId, page)), page);
        var response = new ListLocationsResponse { NextPageToken = next };
        response.Locations.Add(rows.Select(ProtoMapping.ToLocation));
        return response;
    }
}

using Bimtek.Data.Persistence;
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
        var offset = PageToken.Offset(request.PageToken, "materials.locations");
        var limit = Limit(request.PageSize);
        var where = new List<string>();
        if (request.Kind != LocationKind.Unspecified)
        {
            where.Add("kind = @kind");
        }
        if (request.TraineeId.Length > 0)
        {
            where.Add("trainee_id = @traineeId");
        }
        var filter = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) + " " : "";
        var rows = (await ReadAsync(context, db => db.QueryAsync<LocationRow>(
            $"SELECT {Queries.LocationColumns} FROM locations {filter}ORDER BY kind, name, location_id LIMIT @take OFFSET @offset",
            new { kind = (int)request.Kind, traineeId = request.TraineeId, take = limit + 1, offset }))).ToList();
        var response = new ListLocationsResponse { NextPageToken = PageToken.NextOffset("materials.locations", offset, limit, rows.Count) };
        response.Locations.Add(rows.Take(limit).Select(ProtoMapping.ToLocation));
        return response;
    }
}

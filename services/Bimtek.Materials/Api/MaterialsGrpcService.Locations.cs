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
        var caller = Access.Operator(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId)
            .When(request.Kind is not (LocationKind.ProvincialWarehouse or LocationKind.DistrictOffice), "kind",
                "must be LOCATION_KIND_PROVINCIAL_WAREHOUSE or LOCATION_KIND_DISTRICT_OFFICE (trainee homes are created by kit dispatch)")
            .Required("name", request.Name, 200)
            .Optional("district", request.District, 100)
            .Optional("office", request.Office, 64)
            .ThrowIfInvalid();
        // The caller's office unless a province names one of its districts.
        var office = string.IsNullOrWhiteSpace(request.Office) ? scope.Resolve(caller.Office) : request.Office.Trim();
        if (caller.IsOfficeScoped && !scope.Covers(caller.Office, office))
        {
            throw new PermissionDeniedException($"Locations of office '{office}' are created by that office or its province.");
        }

        return locations.CreateAsync(request, office, ProtoMapping.ToLocation, context.CancellationToken);
    }

    public override async Task<Location> GetLocation(GetLocationRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await ReadAsync(context, async db =>
        {
            await Access.EnsureCanReadLocationAsync(caller, db, request.LocationId);
            new RequestValidator().Id("location_id", request.LocationId).ThrowIfInvalid();
            return ProtoMapping.ToLocation(await RequireLocationAsync(db, caller, request.LocationId));
        });
    }

    public override async Task<ListLocationsResponse> ListLocations(ListLocationsRequest request, ServerCallContext context)
    {
        var caller = Access.StaffReader(context.GetCaller());
        var validator = new RequestValidator().PageSize(request.PageSize).Defined("kind", request.Kind, allowUnspecified: true);
        OptionalId(validator, "trainee_id", request.TraineeId).ThrowIfInvalid();
        var page = ListQueries.Locations.Page(request.PageToken, Limit(request.PageSize));
        // Operators and integrators list their office's locations (a province also its districts').
        var (rows, next) = ListQueries.Locations.Cut(await ReadAsync(context,
            db => ListQueries.LocationsAsync(db, (int)request.Kind, request.TraineeId, OfficeFilter(caller, "office"), OfficesOf(caller), page)), page);
        var response = new ListLocationsResponse { NextPageToken = next };
        response.Locations.Add(rows.Select(ProtoMapping.ToLocation));
        return response;
    }
}

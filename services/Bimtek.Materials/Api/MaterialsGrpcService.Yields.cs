using Bimtek.Materials.Application;
using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override async Task<ListTraineeYieldsResponse> ListTraineeYields(ListTraineeYieldsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var validator = new RequestValidator().PageSize(request.PageSize).Id("programme_id", request.ProgrammeId);
        OptionalId(validator, "trainee_id", request.TraineeId);
        var page = ListQueries.YieldTrainees.Page(request.PageToken, Limit(request.PageSize));
        var (yields, next) = await ReadAsync(context, async db =>
        {
            if (request.TraineeId.Length > 0)
            {
                await Access.EnsureCanReadTraineeAsync(caller, db, request.TraineeId);
            }
            else
            {
                Access.StaffReader(caller);
            }
            validator.ThrowIfInvalid();
            return await YieldReports.ListAsync(db, request.ProgrammeId, request.TraineeId, page);
        });
        var response = new ListTraineeYieldsResponse { NextPageToken = next };
        response.Yields.Add(yields.Select(ProtoMapping.ToYield));
        return response;
    }
}

using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<Programme> CreateProgramme(CreateProgrammeRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Required("code", request.Code, 64)
            .When(!string.IsNullOrEmpty(request.Code) && !request.Code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'),
                "code", "must use only A-Z, 0-9 and '-'")
            .Required("title", request.Title, 300)
            .Required("product_code", request.ProductCode, 64)
            .When(request.Organisers.Count is < 1 or > 5, "organisers", "must have 1 to 5 entries")
            .Required("district", request.District, 100)
            .Required("province", request.Province, 100)
            .Defined("mode", request.Mode)
            .Date("start_day", request.StartDay)
            .Date("end_day", request.EndDay)
            .Required("time_zone", request.TimeZone, 64)
            .Positive("capacity", request.Capacity, 10_000)
            .Positive("target_quantity", request.TargetQuantity, 10_000_000)
            .Optional("office", request.Office, 64);
        for (var i = 0; i < request.Organisers.Count; i++)
        {
            v.Required($"organisers[{i}]", request.Organisers[i], 200);
        }
        if (!string.IsNullOrWhiteSpace(request.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
        {
            v.Add("time_zone", "must be an IANA time zone such as Asia/Makassar");
        }
        if (request.StartDay is not null && request.EndDay is not null
            && RequestValidator.TryToDateOnly(request.StartDay, out var start) && RequestValidator.TryToDateOnly(request.EndDay, out var end) && end < start)
        {
            v.Add("end_day", "must not be before start_day");
        }
        v.ThrowIfInvalid();
        return programmes.CreateAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<Programme> GetProgramme(GetProgrammeRequest request, ServerCallContext context)
    {
        Validate().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return ProtoMapping.ToProto(await programmes.GetAsync(request.ProgrammeId, context.CancellationToken));
    }

    public override async Task<ListProgrammesResponse> ListProgrammes(ListProgrammesRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Defined("status", request.Status, allowUnspecified: true).Optional("district", request.District, 100);
        v.ValidPageToken(request.PageToken, ProgrammeQueries.Listing).ThrowIfInvalid();
        var page = ProgrammeQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (views, next) = await programmes.ListAsync(context.GetCaller(), request, page, context.CancellationToken);
        var response = new ListProgrammesResponse { NextPageToken = next };
        response.Programmes.Add(views.Select(ProtoMapping.ToProto));
        return response;
    }

    public override Task<Programme> ActivateProgramme(ActivateProgrammeRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return programmes.ActivateAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Programme> CompleteProgramme(CompleteProgrammeRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return programmes.CompleteAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Programme> CancelProgramme(CancelProgrammeRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Required("reason", request.Reason, 500).ThrowIfInvalid();
        return programmes.CancelAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Programme> AssignStaff(AssignStaffRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Id("person_id", request.PersonId)
            .Defined("role", request.Role).ThrowIfInvalid();
        return programmes.AssignStaffAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Programme> UnassignStaff(UnassignStaffRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Id("person_id", request.PersonId).ThrowIfInvalid();
        return programmes.UnassignStaffAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }
}

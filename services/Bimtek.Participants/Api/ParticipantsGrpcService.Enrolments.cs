using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<Enrolment> Enrol(EnrolRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        return enrolments.EnrolAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Enrolment> WithdrawEnrolment(WithdrawEnrolmentRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("enrolment_id", request.EnrolmentId).Required("reason", request.Reason, 500).ThrowIfInvalid();
        return enrolments.WithdrawAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<Enrolment> GetEnrolment(GetEnrolmentRequest request, ServerCallContext context)
    {
        Validate().Id("enrolment_id", request.EnrolmentId).ThrowIfInvalid();
        return ProtoMapping.ToProto(await enrolments.GetAsync(context.GetCaller(), request.EnrolmentId, context.CancellationToken));
    }

    public override async Task<ListEnrolmentsResponse> ListEnrolments(ListEnrolmentsRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Defined("status", request.Status, allowUnspecified: true)
            .When(request.ProgrammeId == "" && request.TraineeId == "", "programme_id", "programme_id or trainee_id is required");
        if (request.ProgrammeId != "")
        {
            v.Id("programme_id", request.ProgrammeId);
        }
        if (request.TraineeId != "")
        {
            v.Id("trainee_id", request.TraineeId);
        }
        v.ValidPageToken(request.PageToken, EnrolmentQueries.Listing).ThrowIfInvalid();
        var page = EnrolmentQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await enrolments.ListAsync(context.GetCaller(), request, page, context.CancellationToken);
        var response = new ListEnrolmentsResponse { NextPageToken = next };
        response.Enrolments.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }
}

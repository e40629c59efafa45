using Bimtek.Participants.Application;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Participants.Api;

/// <summary>
/// <c>ParticipantsInternalService</c> (participants_internal.proto): the checks and requests of other services,
/// never routed by the gateway. Thin like <see cref="ParticipantsGrpcService"/>: validate, call the same use cases
/// (which admit service identities only, as before), map.
/// </summary>
internal sealed class ParticipantsInternalGrpcService(Enrolments enrolments, AssistanceRequests assistance)
    : ParticipantsInternalService.ParticipantsInternalServiceBase
{
    public override Task<AssistanceRequest> OpenBehindScheduleRequest(OpenBehindScheduleRequestRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Date("day", request.Day)
            .Range("done_units", request.DoneUnits, 0, int.MaxValue)
            .Range("expected_units", request.ExpectedUnits, 0, int.MaxValue)
            .Range("quota", request.Quota, 0, int.MaxValue)
            .ThrowIfInvalid();
        return assistance.OpenBehindScheduleAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<CheckEnrolmentResponse> CheckEnrolment(CheckEnrolmentRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).Optional("subject", request.Subject, 200);
        if (request.TraineeId != "")
        {
            v.Id("trainee_id", request.TraineeId);
        }
        if (request.PersonId != "")
        {
            v.Id("person_id", request.PersonId);
        }
        v.ThrowIfInvalid();
        return ProtoMapping.ToProto(await enrolments.CheckAsync(context.GetCaller(), request, context.CancellationToken));
    }

    private static RequestValidator Validate() => new();
}

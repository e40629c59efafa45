using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<AssistanceRequest> OpenAssistanceRequest(OpenAssistanceRequestRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Optional("product_step", request.ProductStep, 200)
            .Required("description", request.Description, 2000)
            .When(request.LessonId == "" && string.IsNullOrWhiteSpace(request.ProductStep), "lesson_id", "lesson_id or product_step is required");
        if (request.LessonId != "")
        {
            v.Id("lesson_id", request.LessonId);
        }
        v.ThrowIfInvalid();
        return assistance.OpenAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<AssistanceRequest> GetAssistanceRequest(GetAssistanceRequestRequest request, ServerCallContext context)
    {
        Validate().Id("assistance_request_id", request.AssistanceRequestId).ThrowIfInvalid();
        return ProtoMapping.ToProto(await assistance.GetAsync(context.GetCaller(), request.AssistanceRequestId, context.CancellationToken));
    }

    public override async Task<ListAssistanceRequestsResponse> ListAssistanceRequests(ListAssistanceRequestsRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Defined("status", request.Status, allowUnspecified: true)
            .When(request.ProgrammeId == "" && request.InstructorId == "" && request.TraineeId == "", "programme_id",
                "programme_id, instructor_id or trainee_id is required");
        foreach (var (field, value) in new[] { ("programme_id", request.ProgrammeId), ("instructor_id", request.InstructorId), ("trainee_id", request.TraineeId) })
        {
            if (value != "")
            {
                v.Id(field, value);
            }
        }
        v.ValidPageToken(request.PageToken, AssistanceQueries.Listing).ThrowIfInvalid();
        var page = AssistanceQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await assistance.ListAsync(context.GetCaller(), request, page, context.CancellationToken);
        var response = new ListAssistanceRequestsResponse { NextPageToken = next };
        response.AssistanceRequests.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }

    public override Task<HomeVisit> ScheduleHomeVisit(ScheduleHomeVisitRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("assistance_request_id", request.AssistanceRequestId)
            .Id("instructor_id", request.InstructorId)
            .Date("day", request.Day)
            .Present("window_start", request.WindowStart)
            .Present("window_end", request.WindowEnd)
            .Required("address", request.Address, 500);
        ValidateTime(v, "window_start", request.WindowStart);
        ValidateTime(v, "window_end", request.WindowEnd);
        if (v.IsValid && ProtoMapping.SecondsOfDay(request.WindowEnd) <= ProtoMapping.SecondsOfDay(request.WindowStart))
        {
            v.Add("window_end", "must be after window_start");
        }
        v.ThrowIfInvalid();
        return visits.ScheduleAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    private static void ValidateTime(RequestValidator v, string field, Google.Type.TimeOfDay? t)
    {
        if (t is not null && (t.Hours is < 0 or > 23 || t.Minutes is < 0 or > 59 || t.Seconds is < 0 or > 59 || t.Nanos != 0))
        {
            v.Add(field, "must be a time of day between 00:00 and 23:59:59 (whole seconds)");
        }
    }

    public override Task<HomeVisit> LogHomeVisitOutcome(LogHomeVisitOutcomeRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("home_visit_id", request.HomeVisitId)
            .Defined("outcome", request.Outcome)
            .Optional("notes", request.Notes, 2000)
            .When(request.VisitedAt is not null && request.VisitedAt.ToDateTimeOffset() > time.GetUtcNow() + MaxClockSkew, "visited_at", "must not be in the future")
            .ThrowIfInvalid();
        return visits.LogOutcomeAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<HomeVisit> MoveHomeVisit(MoveHomeVisitRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("home_visit_id", request.HomeVisitId)
            .Date("day", request.Day)
            .Present("window_start", request.WindowStart)
            .Present("window_end", request.WindowEnd)
            .Required("reason", request.Reason, 500);
        ValidateTime(v, "window_start", request.WindowStart);
        ValidateTime(v, "window_end", request.WindowEnd);
        v.ThrowIfInvalid();
        var to = new VisitSlot(CalendarDays.ToDateOnly(request.Day), ProtoMapping.SecondsOfDay(request.WindowStart), ProtoMapping.SecondsOfDay(request.WindowEnd));
        return visits.MoveAsync(context.GetCaller(), request, to, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<HomeVisit> CancelHomeVisit(CancelHomeVisitRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("home_visit_id", request.HomeVisitId)
            .Required("reason", request.Reason, 500)
            .ThrowIfInvalid();
        return visits.CancelAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<ListHomeVisitsResponse> ListHomeVisits(ListHomeVisitsRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Date("from_day", request.FromDay, required: false)
            .When(request.ProgrammeId == "" && request.InstructorId == "", "programme_id", "programme_id or instructor_id is required");
        if (request.ProgrammeId != "")
        {
            v.Id("programme_id", request.ProgrammeId);
        }
        if (request.InstructorId != "")
        {
            v.Id("instructor_id", request.InstructorId);
        }
        v.ValidPageToken(request.PageToken, AssistanceQueries.Visits).ThrowIfInvalid();
        var page = AssistanceQueries.Visits.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await visits.ListAsync(context.GetCaller(), request, page, context.CancellationToken);
        var response = new ListHomeVisitsResponse { NextPageToken = next };
        response.HomeVisits.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }
}

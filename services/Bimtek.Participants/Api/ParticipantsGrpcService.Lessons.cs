using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<Lesson> AddLesson(AddLessonRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Range("position", request.Position, 0, 10_000)
            .Required("title", request.Title, 300);
        // A video served by the suite (its same-origin path) or an https URL elsewhere (Domain/LessonVideos.cs).
        if (LessonVideos.IsPath(request.VideoUrl))
        {
            v.When(!LessonVideos.IsSuiteVideoPath(request.VideoUrl), "video_url",
                "must be an https URL or the path of a video served by the suite (/api/v1/videos/{video_id})");
        }
        else
        {
            v.Url("video_url", request.VideoUrl, required: true)
                .When(request.VideoUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase), "video_url", "must be an https URL");
        }
        v.Positive("duration_seconds", request.DurationSeconds, 86_400)
            .Optional("product_step", request.ProductStep, 200)
            .ThrowIfInvalid();
        return lessons.AddAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<ListLessonsResponse> ListLessons(ListLessonsRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize);
        v.ValidPageToken(request.PageToken, LessonQueries.Listing).ThrowIfInvalid();
        var page = LessonQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await lessons.ListAsync(context.GetCaller(), request.ProgrammeId, page, context.CancellationToken);
        var response = new ListLessonsResponse { NextPageToken = next };
        response.Lessons.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }

    public override Task<LessonProgress> RecordLessonProgress(RecordLessonProgressRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("lesson_id", request.LessonId)
            .Id("trainee_id", request.TraineeId)
            .Range("furthest_position_seconds", request.FurthestPositionSeconds, 0, 86_400)
            .Range("percent", request.Percent, 0, 100)
            .Present("reported_at", request.ReportedAt);
        if (request.ReportedAt is not null && request.ReportedAt.ToDateTimeOffset() > time.GetUtcNow() + MaxClockSkew)
        {
            v.Add("reported_at", "must not be in the future");
        }
        v.ThrowIfInvalid();
        return lessons.RecordProgressAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<TraineeLessonProgress> GetTraineeLessonProgress(GetTraineeLessonProgressRequest request, ServerCallContext context)
    {
        Validate().Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        var view = await lessons.TraineeProgressAsync(context.GetCaller(), request.ProgrammeId, request.TraineeId, context.CancellationToken);
        return ProtoMapping.ToProto(request.ProgrammeId, request.TraineeId, view);
    }

    public override async Task<ProgrammeLessonProgress> GetProgrammeLessonProgress(GetProgrammeLessonProgressRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize);
        v.ValidPageToken(request.PageToken, EnrolmentQueries.ProgressListing).ThrowIfInvalid();
        var page = EnrolmentQueries.ProgressListing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ProtoMapping.ToProto(request.ProgrammeId, await lessons.ProgrammeProgressAsync(context.GetCaller(), request.ProgrammeId, page, context.CancellationToken));
    }
}

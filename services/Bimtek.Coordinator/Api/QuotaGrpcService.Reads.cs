using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>Progress for readers: a programme's progress, summaries and one trainee's detail (the live watch is in <c>.Watch.cs</c>).</summary>
internal sealed partial class QuotaGrpcService
{
    public override async Task<ProgrammeProgress> GetProgrammeProgress(GetProgrammeProgressRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.Readers);
        var v = new RequestValidator();
        v.Id("programme_id", request.ProgrammeId);
        v.PageSize(request.PageSize).Date("as_of_day", request.AsOfDay, required: false);
        v.ValidPageToken(request.PageToken, TraineePosition.List);
        v.ThrowIfInvalid();
        return await ProgressAsync(request.ProgrammeId, request.AsOfDay is null ? null : CalendarDays.ToDateOnly(request.AsOfDay),
            TraineePosition.Read(request.PageToken), RequestValidator.EffectivePageSize(request.PageSize));
    }

    public override async Task<BatchGetProgrammeSummariesResponse> BatchGetProgrammeSummaries(BatchGetProgrammeSummariesRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.Readers);
        var v = new RequestValidator().Range("programme_ids", request.ProgrammeIds.Count, 1, 200);
        foreach (var (id, i) in request.ProgrammeIds.Select((id, i) => (id, i)))
        {
            v.Id($"programme_ids[{i}]", id);
        }
        v.ThrowIfInvalid();
        var views = await Task.WhenAll(request.ProgrammeIds.Select(id => Programme(id).GetProgress(null)));
        var response = new BatchGetProgrammeSummariesResponse();
        response.Summaries.Add(views.Where(view => view is not null).Select(view => ToProto(view!.Summary)));
        return response;
    }

    public override async Task<TraineeProgressDetail> GetTraineeProgress(GetTraineeProgressRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (!caller.IsAny(Access.Readers) && !caller.Is(Roles.Trainee))
        {
            throw new PermissionDeniedException();
        }
        var v = new RequestValidator();
        v.Id("programme_id", request.ProgrammeId);
        v.Id("trainee_id", request.TraineeId);
        v.Date("as_of_day", request.AsOfDay, required: false).ThrowIfInvalid();
        // A trainee reads only their own record: refused alike whether another's or none at all.
        if (!caller.IsAny(Access.Readers)
            && !await trainees.IsTraineeAsync(request.ProgrammeId, request.TraineeId, caller.Subject, context.CancellationToken))
        {
            throw new PermissionDeniedException();
        }
        var view = await Programme(request.ProgrammeId).GetProgress(request.AsOfDay is null ? null : CalendarDays.ToDateOnly(request.AsOfDay))
            ?? throw new NotFoundException("programme", request.ProgrammeId);
        var row = view.Trainees.FirstOrDefault(t => t.TraineeId == request.TraineeId)
            ?? throw new NotFoundException("trainee", request.TraineeId);
        var detail = await Trainee(request.ProgrammeId, request.TraineeId).GetDetail();
        var info = view.Summary.Info;
        var byDay = detail.Days.ToDictionary(d => d.Day);
        var response = new TraineeProgressDetail
        {
            ProgrammeId = request.ProgrammeId,
            Progress = ToProto(row with { Counters = detail.Counters }),
            AsOfDay = CalendarDays.ToDate(view.Summary.AsOfDay),
        };
        for (var day = info.StartDay; day <= info.EndDay; day = day.AddDays(1))
        {
            var figures = byDay.GetValueOrDefault(day);
            response.Days.Add(new DailyProgress
            {
                Day = CalendarDays.ToDate(day),
                Produced = figures?.Produced ?? 0,
                Accepted = figures?.Accepted ?? 0,
                Rejected = figures?.Rejected ?? 0,
                ExpectedCumulative = Pace.Expected(row.Quota, info, day),
            });
        }
        return response;
    }
}

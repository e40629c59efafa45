using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Application;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// Thin gRPC layer: authorise, validate, call the grains, map the outcome. Outcomes cross the
/// grain boundary as values and become the suite's errors here.
/// </summary>
internal sealed class QuotaGrpcService(IGrainFactory grains, TimeProvider time, ITraineeDirectory trainees, ILogger<QuotaGrpcService> logger) : QuotaService.QuotaServiceBase
{
    private const int MaxIdLength = 100;
    private const int SnapshotChunk = 100;

    // ----- Effects (internal) -----

    public override async Task<ApplyEffectResponse> ApplyProgrammeChange(ApplyProgrammeChangeRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        ValidateSnapshot(v, "programme", request.Programme);
        v.ThrowIfInvalid();
        var result = await Programme(request.Programme.ProgrammeId).ApplyProgrammeChange(
            new ProgrammeChange(request.RequestId, Fingerprint(request), ToInfo(request.Programme)));
        return Acknowledge(result, request.RequestId, request.Programme.ProgrammeId);
    }

    public override async Task<ApplyEffectResponse> ApplyEnrolmentChange(ApplyEnrolmentChangeRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        ValidateSnapshot(v, "programme", request.Programme);
        Id(v, "trainee_id", request.TraineeId);
        Id(v, "enrolment_id", request.EnrolmentId);
        v.Defined("change", request.Change)
            .Positive("enrolment_sequence", request.EnrolmentSequence, int.MaxValue)
            .When(request.ChangedAt is null, "changed_at", "is required")
            .ThrowIfInvalid();
        var result = await Programme(request.Programme.ProgrammeId).ApplyEnrolmentChange(new Abstractions.EnrolmentChange(
            request.RequestId, Fingerprint(request), ToInfo(request.Programme), request.TraineeId,
            request.EnrolmentId, request.Change == V1.EnrolmentChange.Withdrawn, request.EnrolmentSequence, request.ChangedAt!.ToDateTime()));
        return Acknowledge(result, request.RequestId, request.Programme.ProgrammeId);
    }

    public override async Task<ApplyEffectResponse> ApplyOutputRecorded(ApplyOutputRecordedRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "report_id", request.ReportId);
        Id(v, "programme_id", request.ProgrammeId);
        Id(v, "trainee_id", request.TraineeId);
        v.Date("day", request.Day).Positive("units", request.Units, 1_000_000).ThrowIfInvalid();
        var result = await Trainee(request.ProgrammeId, request.TraineeId).ApplyOutput(new OutputRecorded(
            request.RequestId, Fingerprint(request), request.ReportId, ToDay(request.Day), request.Units, request.Rework));
        return Acknowledge(result, request.RequestId, request.ProgrammeId);
    }

    public override async Task<ApplyEffectResponse> ApplyInspectionResult(ApplyInspectionResultRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "inspection_id", request.InspectionId);
        Id(v, "programme_id", request.ProgrammeId);
        Id(v, "trainee_id", request.TraineeId);
        v.Date("day", request.Day)
            .Range("inspected_units", request.InspectedUnits, 0, 1_000_000)
            .Range("accepted_units", request.AcceptedUnits, 0, 1_000_000)
            .Range("rejected_units", request.RejectedUnits, 0, 1_000_000)
            .Range("awaiting_sign_off_delta", request.AwaitingSignOffDelta, -1_000_000, 1_000_000);
        if (request.InspectedUnits > 0)
        {
            v.When(request.InspectedUnits != request.AcceptedUnits + request.RejectedUnits + request.AwaitingSignOffDelta,
                "inspected_units", "must equal accepted_units + rejected_units + awaiting_sign_off_delta for an inspection");
        }
        else
        {
            v.When(-request.AwaitingSignOffDelta != request.AcceptedUnits + request.RejectedUnits,
                "awaiting_sign_off_delta", "must be minus (accepted_units + rejected_units) for a sign-off");
        }
        v.When(request.InspectedUnits == 0 && request.AcceptedUnits == 0 && request.RejectedUnits == 0,
            "inspected_units", "an inspection or sign-off must move at least one unit");
        v.ThrowIfInvalid();
        var result = await Trainee(request.ProgrammeId, request.TraineeId).ApplyInspection(new InspectionResult(
            request.RequestId, Fingerprint(request), request.InspectionId, ToDay(request.Day),
            request.InspectedUnits, request.AcceptedUnits, request.RejectedUnits, request.AwaitingSignOffDelta));
        return Acknowledge(result, request.RequestId, request.ProgrammeId);
    }

    // ----- Operator actions -----

    public override async Task<ProgrammeProgress> OverrideQuota(OverrideQuotaRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.QuotaEditors);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "programme_id", request.ProgrammeId);
        Id(v, "trainee_id", request.TraineeId);
        v.Range("quota", request.Quota, 0, int.MaxValue).Required("reason", request.Reason, 500).ThrowIfInvalid();
        var programme = Programme(request.ProgrammeId);
        var current = await programme.GetProgress(null) ?? throw new NotFoundException("programme", request.ProgrammeId);
        if (request.Quota > current.Summary.Info.TargetQuantity)
        {
            throw new ValidationException("quota", $"must be between 0 and the programme's target ({current.Summary.Info.TargetQuantity})");
        }
        var result = await programme.SetOverride(new QuotaOverride(
            request.RequestId, Fingerprint(request), request.TraineeId, request.Quota, request.Reason));
        Acknowledge(result, request.RequestId, request.ProgrammeId);
        return await ProgressAsync(request.ProgrammeId, null, 0);
    }

    public override async Task<ProgrammeProgress> ClearQuotaOverride(ClearQuotaOverrideRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.QuotaEditors);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "programme_id", request.ProgrammeId);
        Id(v, "trainee_id", request.TraineeId);
        v.ThrowIfInvalid();
        var result = await Programme(request.ProgrammeId).SetOverride(new QuotaOverride(
            request.RequestId, Fingerprint(request), request.TraineeId, null, ""));
        Acknowledge(result, request.RequestId, request.ProgrammeId);
        return await ProgressAsync(request.ProgrammeId, null, 0);
    }

    public override async Task<ProgrammeProgress> EvaluatePace(EvaluatePaceRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.PaceEvaluators);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "programme_id", request.ProgrammeId);
        v.Date("as_of_day", request.AsOfDay, required: false).ThrowIfInvalid();
        DateOnly? day = request.AsOfDay is null ? null : ToDay(request.AsOfDay);
        var result = await Programme(request.ProgrammeId).EvaluatePace(
            new PaceEvaluation(request.RequestId, Fingerprint(request), day));
        Acknowledge(result, request.RequestId, request.ProgrammeId);
        return await ProgressAsync(request.ProgrammeId, day, 0);
    }

    // ----- Progress -----

    public override async Task<ProgrammeProgress> GetProgrammeProgress(GetProgrammeProgressRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.Readers);
        var v = new RequestValidator();
        Id(v, "programme_id", request.ProgrammeId);
        v.PageSize(request.PageSize).Date("as_of_day", request.AsOfDay, required: false);
        var offset = 0;
        v.When(request.PageToken.Length > 0 && (!int.TryParse(request.PageToken, out offset) || offset < 0), "page_token", "must be a token from a previous response");
        v.ThrowIfInvalid();
        return await ProgressAsync(request.ProgrammeId, request.AsOfDay is null ? null : ToDay(request.AsOfDay),
            offset, RequestValidator.EffectivePageSize(request.PageSize));
    }

    public override async Task<BatchGetProgrammeSummariesResponse> BatchGetProgrammeSummaries(BatchGetProgrammeSummariesRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.Readers);
        var v = new RequestValidator().Range("programme_ids", request.ProgrammeIds.Count, 1, 200);
        foreach (var (id, i) in request.ProgrammeIds.Select((id, i) => (id, i)))
        {
            Id(v, $"programme_ids[{i}]", id);
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
        Id(v, "programme_id", request.ProgrammeId);
        Id(v, "trainee_id", request.TraineeId);
        v.Date("as_of_day", request.AsOfDay, required: false).ThrowIfInvalid();
        // A trainee reads only their own record: refused alike whether another's or none at all.
        if (!caller.IsAny(Access.Readers)
            && !await trainees.IsTraineeAsync(request.ProgrammeId, request.TraineeId, caller.Subject, context.CancellationToken))
        {
            throw new PermissionDeniedException();
        }
        var view = await Programme(request.ProgrammeId).GetProgress(request.AsOfDay is null ? null : ToDay(request.AsOfDay))
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
            AsOfDay = ToDate(view.Summary.AsOfDay),
        };
        for (var day = info.StartDay; day <= info.EndDay; day = day.AddDays(1))
        {
            var figures = byDay.GetValueOrDefault(day);
            response.Days.Add(new DailyProgress
            {
                Day = ToDate(day),
                Produced = figures?.Produced ?? 0,
                Accepted = figures?.Accepted ?? 0,
                Rejected = figures?.Rejected ?? 0,
                ExpectedCumulative = Pace.Expected(row.Quota, info, day),
            });
        }
        return response;
    }

    public override async Task WatchProgrammeProgress(WatchProgrammeProgressRequest request, IServerStreamWriter<ProgrammeProgressUpdate> responseStream, ServerCallContext context)
    {
        context.GetCaller().Require(Access.Readers);
        var v = new RequestValidator();
        Id(v, "programme_id", request.ProgrammeId);
        v.ThrowIfInvalid();
        var programme = Programme(request.ProgrammeId);
        var watcher = new ProgressWatcher();
        var reference = grains.CreateObjectReference<IProgrammeProgressObserver>(watcher);
        var sequence = 0L;
        try
        {
            // Subscribe before the snapshot, so no change falls between them.
            await programme.Subscribe(reference);
            var snapshot = await programme.GetProgress(null) ?? throw new NotFoundException("programme", request.ProgrammeId);
            foreach (var chunk in snapshot.Trainees.Chunk(SnapshotChunk).DefaultIfEmpty([]))
            {
                await responseStream.WriteAsync(Update(snapshot.Summary, chunk, true, ++sequence), context.CancellationToken);
            }
            // The grain forgets observers it has not heard from for a while: renew while watching.
            using var renew = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
            var renewal = Task.Run(async () =>
            {
                while (await renew.WaitForNextTickAsync(context.CancellationToken))
                {
                    await programme.Subscribe(reference);
                }
            }, context.CancellationToken);
            await foreach (var update in watcher.Updates.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(Update(update.Summary, update.Trainees, false, ++sequence), context.CancellationToken);
            }
            await renewal;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away or the deadline passed: nothing to report.
        }
        finally
        {
            try
            {
                await programme.Unsubscribe(reference);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The grain drops expired observers by itself.
                logger.LogDebug(ex, "Unsubscribing a progress watcher failed.");
            }
            grains.DeleteObjectReference<IProgrammeProgressObserver>(reference);
        }
    }

    // ----- Helpers -----

    private IProgrammeGrain Programme(string programmeId) => grains.GetGrain<IProgrammeGrain>(GrainKeys.Programme(programmeId));

    private ITraineeQuotaGrain Trainee(string programmeId, string traineeId) => grains.GetGrain<ITraineeQuotaGrain>(GrainKeys.Trainee(programmeId, traineeId));

    private async Task<ProgrammeProgress> ProgressAsync(string programmeId, DateOnly? day, int offset, int pageSize = RequestValidator.MaxPageSize)
    {
        var view = await Programme(programmeId).GetProgress(day) ?? throw new NotFoundException("programme", programmeId);
        var response = new ProgrammeProgress { Summary = ToProto(view.Summary) };
        response.Trainees.Add(view.Trainees.Skip(offset).Take(pageSize).Select(ToProto));
        if (offset + pageSize < view.Trainees.Count)
        {
            response.NextPageToken = (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return response;
    }

    private ProgrammeProgressUpdate Update(Abstractions.ProgrammeSummary summary, IEnumerable<TraineeRow> rows, bool snapshot, long sequence)
    {
        var update = new ProgrammeProgressUpdate
        {
            Summary = ToProto(summary),
            Snapshot = snapshot,
            Sequence = sequence,
            ChangedAt = Timestamp.FromDateTimeOffset(snapshot ? time.GetUtcNow() : new DateTimeOffset(DateTime.SpecifyKind(summary.UpdatedAt, DateTimeKind.Utc))),
        };
        update.Trainees.Add(rows.Select(ToProto));
        return update;
    }

    private static ApplyEffectResponse Acknowledge(EffectResult result, string requestId, string programmeId) => result.Outcome switch
    {
        EffectOutcome.Applied or EffectOutcome.Duplicate or EffectOutcome.Superseded => new ApplyEffectResponse { RequestId = requestId },
        EffectOutcome.ProgrammeNotFound => throw new NotFoundException("programme", programmeId),
        EffectOutcome.RequestIdReused => throw new ValidationException("request_id", "was already used for a different request", ErrorReasons.RequestIdReused),
        _ => throw new PreconditionException(result.Reason ?? Reasons.Refused, result.Message ?? "The change is not allowed now."),
    };

    private static void Id(RequestValidator v, string field, string value)
    {
        v.Required(field, value, MaxIdLength);
        v.When(value.Contains('/', StringComparison.Ordinal), field, "must not contain '/'");
    }

    private static void ValidateSnapshot(RequestValidator v, string field, ProgrammeSnapshot? snapshot)
    {
        v.Present(field, snapshot);
        if (snapshot is null)
        {
            return;
        }
        Id(v, $"{field}.programme_id", snapshot.ProgrammeId);
        v.Range($"{field}.revision", snapshot.Revision, 0, long.MaxValue)
            .Required($"{field}.product_code", snapshot.ProductCode, 64)
            .Positive($"{field}.target_quantity", snapshot.TargetQuantity, 10_000_000)
            .Date($"{field}.start_day", snapshot.StartDay)
            .Date($"{field}.end_day", snapshot.EndDay)
            .Defined($"{field}.phase", snapshot.Phase)
            .When(!TimeZoneInfo.TryFindSystemTimeZoneById(snapshot.TimeZone ?? "", out _), $"{field}.time_zone", "must be an IANA time zone");
        if (snapshot.StartDay is not null && snapshot.EndDay is not null
            && RequestValidator.TryToDateOnly(snapshot.StartDay, out var start) && RequestValidator.TryToDateOnly(snapshot.EndDay, out var end))
        {
            v.When(end < start, $"{field}.end_day", "must not be before start_day");
        }
    }
}

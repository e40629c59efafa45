using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Application;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Hosting;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// Thin gRPC layer: authorise, validate, call the grains, map the outcome. Outcomes cross the
/// grain boundary as values and become the suite's errors here. One file per audience:
/// <c>.Effects.cs</c> (the other services' changes, service callers only), <c>.Commands.cs</c>
/// (operators and instructors: quota overrides, pace), <c>.Reads.cs</c> (progress readers) and <c>.Watch.cs</c>
/// (the live stream); this file holds what they share.
/// </summary>
internal sealed partial class QuotaGrpcService(
    IGrainFactory grains, TimeProvider time, ITraineeDirectory trainees, IOptions<WatchOptions> watchOptions, ILogger<QuotaGrpcService> logger)
    : QuotaService.QuotaServiceBase
{
    private const int MaxIdLength = 100;
    private const int SnapshotChunk = 100;

    private IProgrammeGrain Programme(string programmeId) => grains.GetGrain<IProgrammeGrain>(GrainKeys.Programme(programmeId));

    private ITraineeQuotaGrain Trainee(string programmeId, string traineeId) => grains.GetGrain<ITraineeQuotaGrain>(GrainKeys.Trainee(programmeId, traineeId));

    /// <summary>A programme's progress with one page of its trainees (in enrolment order) after <paramref name="after"/>.</summary>
    private async Task<ProgrammeProgress> ProgressAsync(string programmeId, DateOnly? day, TraineePosition? after, int pageSize = RequestValidator.MaxPageSize)
    {
        var view = await Programme(programmeId).GetProgress(day) ?? throw new NotFoundException("programme", programmeId);
        var response = new ProgrammeProgress { Summary = ToProto(view.Summary) };
        var rest = view.Trainees.OrderBy(t => t.Sequence).ThenBy(t => t.TraineeId, StringComparer.Ordinal)
            .Where(t => after is not { } a || a.IsBefore(t)).ToList();
        var page = rest.Take(pageSize).ToList();
        response.Trainees.Add(page.Select(ToProto));
        if (rest.Count > pageSize)
        {
            response.NextPageToken = TraineePosition.Token(page[^1]);
        }
        return response;
    }

    /// <summary>A stream message (its per-stream <c>sequence</c> is set when it is written).</summary>
    private ProgrammeProgressUpdate Update(Abstractions.ProgrammeSummary summary, IEnumerable<TraineeRow> rows, bool snapshot, long changeSequence)
    {
        var update = new ProgrammeProgressUpdate
        {
            Summary = ToProto(summary),
            Snapshot = snapshot,
            ChangeSequence = changeSequence,
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

    /// <summary>
    /// A key another service chose for an effect (report, inspection, enrolment): any text up to 100 characters
    /// without '/'. Programme and trainee ids are the suite's UUIDs (<see cref="RequestValidator.Id"/>): a malformed
    /// one is refused before any grain is asked, as everywhere (400, not 404).
    /// </summary>
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
        v.Id($"{field}.programme_id", snapshot.ProgrammeId);
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

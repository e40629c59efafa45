using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Application;
using Bimtek.Coordinator.Hosting;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// Thin gRPC layer of the public <c>QuotaService</c>: authorise, validate, call the grains, map the outcome.
/// Outcomes cross the grain boundary as values and become the suite's errors here (<see cref="EffectOutcomes"/>).
/// One file per audience: <c>.Commands.cs</c> (operators and instructors: quota overrides, pace), <c>.Reads.cs</c>
/// (progress readers) and <c>.Watch.cs</c> (the live stream); this file holds what they share. The other services'
/// effects arrive on the internal service, <see cref="QuotaInternalGrpcService"/>.
/// </summary>
internal sealed partial class QuotaGrpcService(
    IGrainFactory grains, TimeProvider time, ITraineeDirectory trainees, IOptions<WatchOptions> watchOptions, ILogger<QuotaGrpcService> logger)
    : QuotaService.QuotaServiceBase
{
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
            ChangedAt = snapshot ? Instants.ToTimestamp(time.GetUtcNow()) : Instants.ToTimestampFromUtc(summary.UpdatedAt),
        };
        update.Trainees.Add(rows.Select(ToProto));
        return update;
    }
}

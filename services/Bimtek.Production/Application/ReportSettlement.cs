using System.Text.Json;
using Bimtek.Coordinator.V1;
using Bimtek.Materials.V1;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>
/// The second half of a report's write path: consume for a stored PENDING report whose lease this attempt holds
/// (materials is idempotent on the report id), then settle it in one transaction — RECORDED with the coordinator's
/// outbox row, or REJECTED with materials' reason — or, when the outcome is unknown, release the lease with a back-off
/// so a retry or <see cref="PendingReportReconciler"/> finishes it. <see cref="OutputReportWorkflow"/> stores the
/// report and hands it here; the reconciler comes here through <see cref="TryFinishAsync"/>.
/// </summary>
internal sealed class ReportSettlement(
    ReportStore store,
    ProductCatalog catalog,
    MaterialsInternalService.MaterialsInternalServiceClient materials,
    TimeProvider time,
    IOptions<ProductionOptions> options)
{
    private readonly ProductionOptions _options = options.Value;

    /// <summary>Finishes a PENDING report if no other attempt holds it (the reconciler's entry point).</summary>
    public async Task<ReportRow?> TryFinishAsync(string reportId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.ClaimAsync(reportId, Instants.ToUnixMs(now), Instants.ToUnixMs(now + _options.ReportLease), cancellationToken))
        {
            return null;
        }
        return await SettleClaimedAsync(await store.GetAsync(reportId, CancellationToken.None), cancellationToken);
    }

    /// <summary>Throws FAILED_PRECONDITION naming the short materials when the report was refused.</summary>
    public static void ThrowIfRejected(ReportRow report)
    {
        if (report.Status != ReportStatus.Rejected)
        {
            return;
        }
        var violations = string.IsNullOrEmpty(report.RejectionDetails)
            ? null
            : JsonSerializer.Deserialize<List<StoredViolation>>(report.RejectionDetails)?
                .Select(v => new PreconditionViolation(v.Type, v.Subject, v.Description)).ToList();
        var error = new PreconditionException(
            Reasons.InsufficientMaterial,
            $"The report was refused: {report.RejectionReason}",
            violations is { Count: > 0 } ? violations : null);
        error.Metadata["report_id"] = report.ReportId;
        throw error;
    }

    /// <summary>Consumes (idempotently) and settles a PENDING report whose lease this attempt holds.</summary>
    public async Task<ReportRow> SettleClaimedAsync(ReportRow report, CancellationToken cancellationToken)
    {
        if (ReportLifecycle.IsFinal(report.Status))
        {
            return report;
        }
        if (report.ProductId == "")
        {
            try
            {
                var product = await catalog.GetAsync(report.ProductCode, cancellationToken);
                report.ProductId = product.ProductId;
                report.Medical = product.Medical ? 1 : 0;
            }
            catch (DependencyUnavailableException)
            {
                await ReleaseAsync(report);
                throw;
            }
        }
        var (outcome, refusal) = await ConsumeAsync(report, cancellationToken);
        switch (ReportLifecycle.After(outcome))
        {
            case ReportStatus.Recorded:
                var settledAt = time.NowMs();
                if (await store.RecordAsync(report, settledAt, OutputEffect(report, rework: false)))
                {
                    report.Status = ReportStatus.Recorded;
                    report.SettledAt = settledAt;
                    return report;
                }
                // Settled by someone else meanwhile (only after this attempt's lease ran out): theirs is the answer.
                return await store.GetAsync(report.ReportId, CancellationToken.None);
            case ReportStatus.Rejected:
                // Materials refused and consumed nothing: the report is refused for good.
                await RejectAsync(report, refusal!);
                return await store.GetAsync(report.ReportId, CancellationToken.None);
            default:
                // Outcome unknown (down, timed out, cancelled): stays PENDING; a retry or the reconciler finishes it.
                await ReleaseAsync(report);
                throw new DependencyUnavailableException("materials",
                    "The materials service is unavailable; the report is stored and will be finished. Retry with the same request_id.");
        }
    }

    private async Task<(ConsumptionOutcome Outcome, RpcException? Refusal)> ConsumeAsync(ReportRow report, CancellationToken cancellationToken)
    {
        try
        {
            await materials.ConsumeForOutputAsync(new ConsumeForOutputRequest
            {
                RequestId = report.ReportId,
                ReportId = report.ReportId,
                TraineeId = report.TraineeId,
                ProgrammeId = report.ProgrammeId,
                ProductId = report.ProductId,
                Units = (int)report.Units,
            }, cancellationToken: cancellationToken);
            return (ConsumptionOutcome.Applied, null);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return (ConsumptionOutcome.Refused, ex);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or HttpRequestException)
        {
            return (ConsumptionOutcome.Unknown, null);
        }
    }

    private Task RejectAsync(ReportRow report, RpcException error)
    {
        var failure = error.GetRpcStatus()?.GetDetail<Google.Rpc.PreconditionFailure>();
        var violations = failure?.Violations.Select(v => new StoredViolation(
            Reasons.InsufficientMaterial,
            v.Subject,
            v.Description.Contains(v.Subject, StringComparison.Ordinal) ? v.Description : $"{v.Subject}: {v.Description}")).ToList() ?? [];
        var reason = violations.Count > 0
            ? "not enough material at the trainee's home: " + string.Join("; ", violations.Select(v => v.Description))
            : $"materials refused the consumption: {error.Status.Detail}";
        if (reason.Length > 1000)
        {
            reason = reason[..1000];
        }
        return store.RejectAsync(report.ReportId, reason, JsonSerializer.Serialize(violations), time.NowMs());
    }

    private Task ReleaseAsync(ReportRow report)
    {
        var backoff = Backoff.Delay((int)Math.Min(report.Attempts, int.MaxValue), _options.RetryBackoff, _options.MaxRetryBackoff);
        return store.ReleaseAsync(report.ReportId, Instants.ToUnixMs(time.GetUtcNow() + backoff));
    }

    public static ApplyOutputRecordedRequest OutputEffect(ReportRow report, bool rework) => new()
    {
        ReportId = report.ReportId,
        ProgrammeId = report.ProgrammeId,
        TraineeId = report.TraineeId,
        Day = CalendarDays.ToDate(report.Day),
        Units = (int)report.Units,
        Rework = rework,
    };

    private sealed record StoredViolation(string Type, string Subject, string Description);
}

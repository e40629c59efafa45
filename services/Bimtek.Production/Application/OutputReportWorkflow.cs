using System.Text.Json;
using Bimtek.Common.V1;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Materials.V1;
using Bimtek.Participants.V1;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>
/// The write path of an output report. Invariant: after a crash at any point a report counts iff
/// its material consumption was applied — never one without the other, never twice.
/// <list type="number">
/// <item>Checks (participants, materials catalogue) run first; nothing is stored when they fail.</item>
/// <item>The report is inserted PENDING, unique on request_id (a duplicate finds the same row), with
/// a lease that makes this attempt the only one finishing it.</item>
/// <item>materials.ConsumeForOutput is called keyed by the report id (idempotent there: a second call
/// for the same report consumes nothing more).</item>
/// <item>On success ONE transaction marks it RECORDED and writes the coordinator's outbox row; on a
/// shortage (FAILED_PRECONDITION) ONE transaction marks it REJECTED with materials' reason (nothing
/// was consumed), and the caller gets FAILED_PRECONDITION naming the material; when materials is
/// down the lease is released, the report stays PENDING and the caller gets UNAVAILABLE.</item>
/// <item><see cref="PendingReportReconciler"/> finishes PENDING reports whose lease has run out
/// (after a restart or an outage) by the same steps: consume again — a no-op if it already
/// applied — then record. A crash between consumption and recording therefore ends RECORDED
/// exactly once; a crash before consumption consumes once later.</item>
/// </list>
/// The lease (longer than the materials call's deadline) keeps a late second attempt from seeing
/// a shortage after the first one consumed, or consuming after the report was rejected. A replay
/// of the request returns the final state; a replay of a PENDING report tries to finish it.
/// Rework reports consume nothing and are RECORDED in one transaction with their outbox row.
/// The states and their transitions are <see cref="ReportLifecycle"/>; the rules checked before
/// anything is stored are <see cref="OutputReportRules"/>; the SQL (one round trip per write on
/// PostgreSQL) is <see cref="ReportStore"/>. This file is the report and finish steps; replays are in
/// <c>OutputReportWorkflow.Replay.cs</c>, rework reports in <c>OutputReportWorkflow.Rework.cs</c>.
/// </summary>
internal sealed partial class OutputReportWorkflow(
    Database database,
    ReportStore store,
    ProgrammeDirectory directory,
    ProductCatalog catalog,
    MaterialsService.MaterialsServiceClient materials,
    OutboxWriter outbox,
    PhotoLibrary photos,
    TimeProvider time,
    IOptions<ProductionOptions> options)
{
    private readonly ProductionOptions _options = options.Value;

    public async Task<ReportRow> ReportAsync(Caller caller, ReportOutputRequest request, CancellationToken cancellationToken)
    {
        var hash = RequestFingerprint.Of(request);
        var existing = await store.FindByRequestAsync(request.RequestId, cancellationToken);
        if (existing is not null)
        {
            return await ReplayAsync(caller, existing, hash, cancellationToken);
        }

        RequestValidator.TryToDateOnly(request.Day, out var day);
        var facts = await directory.CheckAsync(caller, request.ProgrammeId, request.TraineeId, cancellationToken);
        EnsureMayReport(caller, facts, request.TraineeId);
        EnsureAcceptable(facts, request, day);
        await photos.EnsureAttachableAsync(request.PhotoIds, request.ProgrammeId, request.TraineeId,
            traineeReports: !caller.IsAny(Roles.Operator, Roles.Service, Roles.Instructor), cancellationToken);

        if (!string.IsNullOrEmpty(request.ReworkOrderId))
        {
            return await ReportReworkAsync(caller, request, hash, facts, cancellationToken);
        }

        ProductInfo? product = null;
        try
        {
            product = await catalog.GetAsync(request.ProductCode, cancellationToken);
        }
        catch (DependencyUnavailableException)
        {
            // Materials is down: store the report anyway; the finish step resolves the product.
        }
        var now = time.GetUtcNow();
        var report = new ReportRow
        {
            ReportId = Guid.CreateVersion7().ToString(),
            RequestId = request.RequestId,
            RequestHash = hash,
            ProgrammeId = request.ProgrammeId,
            TraineeId = request.TraineeId,
            ProductCode = request.ProductCode,
            ProductId = product?.ProductId ?? "",
            Medical = product?.Medical == true ? 1 : 0,
            TimeZone = facts.TimeZone,
            Day = DayRules.ToText(day),
            Units = request.Units,
            Note = request.Note,
            PhotoUrl = request.PhotoUrl,
            ReworkOrderId = "",
            Status = ReportStatus.Pending,
            ReportedBy = caller.Subject,
            ReportedAt = now.ToUnixTimeMilliseconds(),
        };
        // The PENDING commit stays its own step (the crash invariant needs the report stored before
        // materials consumes for it); without photos it is one statement, one round trip.
        var leaseUntil = (now + _options.ReportLease).ToUnixTimeMilliseconds();
        var inserted = request.PhotoIds.Count == 0
            ? await store.InsertAsync(report, leaseUntil, cancellationToken)
            : await database.InTransactionAsync(async s =>
            {
                // With photos: the report and its photo attachments commit together.
                var count = await ReportStore.InsertAsync(s, report, leaseUntil);
                if (count == 1)
                {
                    await PhotoStore.AttachToReportAsync(s, report.ReportId, request.PhotoIds);
                }
                return count;
            }, cancellationToken);
        if (inserted == 0)
        {
            // A concurrent duplicate stored it first: behave as its replay.
            existing = await store.FindByRequestAsync(request.RequestId, cancellationToken)
                ?? throw new InvalidOperationException("A report vanished after its insert conflicted.");
            return await ReplayAsync(caller, existing, hash, cancellationToken);
        }
        // This attempt holds the lease of the row it just stored: finish it without reading it back.
        return await FinishClaimedAsync(report, cancellationToken);
    }

    /// <summary>Finishes a PENDING report if no other attempt holds it (the reconciler's entry point).</summary>
    public async Task<ReportRow?> TryFinishAsync(string reportId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.ClaimAsync(reportId, now.ToUnixTimeMilliseconds(), (now + _options.ReportLease).ToUnixTimeMilliseconds(), cancellationToken))
        {
            return null;
        }
        return await FinishClaimedAsync(await store.GetAsync(reportId, CancellationToken.None), cancellationToken);
    }

    public Task<ReportRow> GetAsync(string reportId, CancellationToken cancellationToken) => store.GetAsync(reportId, cancellationToken);

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
    private async Task<ReportRow> FinishClaimedAsync(ReportRow report, CancellationToken cancellationToken)
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
                var settledAt = time.GetUtcNow().ToUnixTimeMilliseconds();
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
        return store.RejectAsync(report.ReportId, reason, JsonSerializer.Serialize(violations), time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private Task ReleaseAsync(ReportRow report)
    {
        var backoff = Backoff.Delay((int)Math.Min(report.Attempts, int.MaxValue), _options.RetryBackoff, _options.MaxRetryBackoff);
        return store.ReleaseAsync(report.ReportId, (time.GetUtcNow() + backoff).ToUnixTimeMilliseconds());
    }

    private static ApplyOutputRecordedRequest OutputEffect(ReportRow report, bool rework) => new()
    {
        ReportId = report.ReportId,
        ProgrammeId = report.ProgrammeId,
        TraineeId = report.TraineeId,
        Day = DayRules.ToDate(report.Day),
        Units = (int)report.Units,
        Rework = rework,
    };

    /// <summary>The trainee themself, an instructor of the programme, or an operator/service.</summary>
    private static void EnsureMayReport(Caller caller, ProgrammeFacts facts, string traineeId)
    {
        if (caller.IsAny(Roles.Operator, Roles.Service))
        {
            return;
        }
        if (caller.Is(Roles.Instructor) && facts.PersonRole == Role.Instructor)
        {
            return;
        }
        if (caller.Is(Roles.Trainee) && facts.PersonId == traineeId && !string.IsNullOrEmpty(traineeId))
        {
            return;
        }
        throw new PermissionDeniedException();
    }

    private void EnsureAcceptable(ProgrammeFacts facts, ReportOutputRequest request, DateOnly day)
    {
        var terms = new ProgrammeTerms(
            facts.Status == ProgrammeStatus.Active, facts.Status.ToString(), facts.TraineeEnrolled, facts.ProductCode,
            facts.StartDay, facts.EndDay, DayRules.Today(time.GetUtcNow(), facts.TimeZone));
        if (OutputReportRules.Check(terms, request.ProgrammeId, request.TraineeId, request.ProductCode, day) is { } refusal)
        {
            throw new PreconditionException(refusal.Reason, refusal.Message,
                refusal.Subject.Length == 0 ? null : [new PreconditionViolation(refusal.Reason, refusal.Subject, refusal.Description)]);
        }
        if (request.Units > _options.MaxUnitsPerReport)
        {
            throw new ValidationException("units", $"must be between 1 and {_options.MaxUnitsPerReport}", ErrorReasons.ValueOutOfRange);
        }
    }

    private sealed record StoredViolation(string Type, string Subject, string Description);
}

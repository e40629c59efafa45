using Bimtek.Common.V1;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Participants.V1;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.Hosting;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
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
/// PostgreSQL) is <see cref="ReportStore"/>. This file is the report step; consuming and settling a stored report
/// (also the reconciler's entry point) is <see cref="ReportSettlement"/>; replays are in
/// <c>OutputReportWorkflow.Replay.cs</c>, rework reports in <c>OutputReportWorkflow.Rework.cs</c>.
/// </summary>
internal sealed partial class OutputReportWorkflow(
    Database database,
    ReportStore store,
    ProgrammeDirectory directory,
    ProductCatalog catalog,
    ReportSettlement settlement,
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
            Day = CalendarDays.ToText(day),
            Units = request.Units,
            Note = request.Note,
            PhotoUrl = request.PhotoUrl,
            ReworkOrderId = "",
            Status = ReportStatus.Pending,
            ReportedBy = caller.Subject,
            ReportedAt = Instants.ToUnixMs(now),
        };
        // The PENDING commit stays its own step (the crash invariant needs the report stored before
        // materials consumes for it); without photos it is one statement, one round trip.
        var leaseUntil = Instants.ToUnixMs(now + _options.ReportLease);
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
        return await settlement.SettleClaimedAsync(report, cancellationToken);
    }

    public Task<ReportRow> GetAsync(string reportId, CancellationToken cancellationToken) => store.GetAsync(reportId, cancellationToken);

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
            facts.StartDay, facts.EndDay, CalendarDays.Today(time.GetUtcNow(), facts.TimeZone));
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

}

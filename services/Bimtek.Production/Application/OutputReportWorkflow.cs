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
using Dapper;
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
/// </summary>
internal sealed class OutputReportWorkflow(
    Database database,
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
        var existing = await FindByRequestAsync(request.RequestId, cancellationToken);
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
        var inserted = await database.InTransactionAsync(async s =>
        {
            var count = await InsertAsync(s, report, leaseUntil: (now + _options.ReportLease).ToUnixTimeMilliseconds());
            if (count == 1)
            {
                await PhotoStore.AttachToReportAsync(s, report.ReportId, request.PhotoIds);
            }
            return count;
        }, cancellationToken);
        if (inserted == 0)
        {
            // A concurrent duplicate stored it first: behave as its replay.
            existing = await FindByRequestAsync(request.RequestId, cancellationToken)
                ?? throw new InvalidOperationException("A report vanished after its insert conflicted.");
            return await ReplayAsync(caller, existing, hash, cancellationToken);
        }
        return await FinishClaimedAsync(report.ReportId, cancellationToken);
    }

    /// <summary>Finishes a PENDING report if no other attempt holds it (the reconciler's entry point).</summary>
    public async Task<ReportRow?> TryFinishAsync(string reportId, CancellationToken cancellationToken) =>
        await ClaimAsync(reportId, cancellationToken) ? await FinishClaimedAsync(reportId, cancellationToken) : null;

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
            ProductionReasons.InsufficientMaterial,
            $"The report was refused: {report.RejectionReason}",
            violations is { Count: > 0 } ? violations : null);
        error.Metadata["report_id"] = report.ReportId;
        throw error;
    }

    private async Task<ReportRow> ReplayAsync(Caller caller, ReportRow existing, string hash, CancellationToken cancellationToken)
    {
        if (existing.RequestHash != hash)
        {
            throw new ValidationException(
                [new FieldViolation("request_id", "was already used for a different request; choose a new UUID for a new request")],
                ErrorReasons.RequestIdReused);
        }
        if (existing.ReportedBy != caller.Subject)
        {
            var facts = await directory.CheckAsync(caller, existing.ProgrammeId, existing.TraineeId, cancellationToken);
            EnsureMayReport(caller, facts, existing.TraineeId);
        }
        if (existing.Status != ReportStatus.Pending)
        {
            return existing;
        }
        return await TryFinishAsync(existing.ReportId, cancellationToken) ?? await WaitForOutcomeAsync(existing.ReportId, cancellationToken);
    }

    private async Task<bool> ClaimAsync(string reportId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await database.InTransactionAsync(s => s.ExecuteAsync(
            "UPDATE output_reports SET lease_until = @leaseUntil, attempts = attempts + 1 " +
            "WHERE report_id = @reportId AND status = 'pending' AND lease_until <= @now",
            new { reportId, now = now.ToUnixTimeMilliseconds(), leaseUntil = (now + _options.ReportLease).ToUnixTimeMilliseconds() }),
            cancellationToken);
        return claimed == 1;
    }

    /// <summary>Consumes (idempotently) and settles a report this attempt holds the lease of.</summary>
    private async Task<ReportRow> FinishClaimedAsync(string reportId, CancellationToken cancellationToken)
    {
        var report = await GetAsync(reportId, CancellationToken.None);
        if (report.Status != ReportStatus.Pending)
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
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            // Materials refused and consumed nothing: the report is refused for good.
            await RejectAsync(report, ex);
            return await GetAsync(reportId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or HttpRequestException)
        {
            // Outcome unknown (down, timed out, cancelled): stays PENDING; a retry or the reconciler finishes it.
            await ReleaseAsync(report);
            throw new DependencyUnavailableException("materials",
                "The materials service is unavailable; the report is stored and will be finished. Retry with the same request_id.");
        }
        await RecordAsync(report);
        return await GetAsync(reportId, CancellationToken.None);
    }

    private Task RecordAsync(ReportRow report) =>
        database.InTransactionAsync(async s =>
        {
            var updated = await s.ExecuteAsync(
                "UPDATE output_reports SET status = 'recorded', settled_at = @now, lease_until = 0, product_id = @ProductId, medical = @Medical " +
                "WHERE report_id = @ReportId AND status = 'pending'",
                new { report.ReportId, report.ProductId, report.Medical, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
            if (updated == 1)
            {
                await outbox.EnqueueAsync(s, OutboxNames.CoordinatorOutput, OutputEffect(report, rework: false));
            }
        }, CancellationToken.None);

    private Task RejectAsync(ReportRow report, RpcException error)
    {
        var failure = error.GetRpcStatus()?.GetDetail<Google.Rpc.PreconditionFailure>();
        var violations = failure?.Violations.Select(v => new StoredViolation(
            ProductionReasons.InsufficientMaterial,
            v.Subject,
            v.Description.Contains(v.Subject, StringComparison.Ordinal) ? v.Description : $"{v.Subject}: {v.Description}")).ToList() ?? [];
        var reason = violations.Count > 0
            ? "not enough material at the trainee's home: " + string.Join("; ", violations.Select(v => v.Description))
            : $"materials refused the consumption: {error.Status.Detail}";
        if (reason.Length > 1000)
        {
            reason = reason[..1000];
        }
        return database.InTransactionAsync(s => s.ExecuteAsync(
            "UPDATE output_reports SET status = 'rejected', rejection_reason = @reason, rejection_details = @details, settled_at = @now, lease_until = 0 " +
            "WHERE report_id = @ReportId AND status = 'pending'",
            new
            {
                report.ReportId,
                reason,
                details = JsonSerializer.Serialize(violations),
                now = time.GetUtcNow().ToUnixTimeMilliseconds(),
            }), CancellationToken.None);
    }

    private Task ReleaseAsync(ReportRow report)
    {
        var now = time.GetUtcNow();
        var backoff = Backoff.Delay((int)Math.Min(report.Attempts, int.MaxValue), _options.RetryBackoff, _options.MaxRetryBackoff);
        return database.InTransactionAsync(s => s.ExecuteAsync(
            "UPDATE output_reports SET lease_until = 0, next_attempt_at = @next WHERE report_id = @ReportId AND status = 'pending'",
            new { report.ReportId, next = (now + backoff).ToUnixTimeMilliseconds() }), CancellationToken.None);
    }

    private async Task<ReportRow> WaitForOutcomeAsync(string reportId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.DuplicateWait;
        while (true)
        {
            var report = await GetAsync(reportId, cancellationToken);
            if (report.Status != ReportStatus.Pending)
            {
                return report;
            }
            if (time.GetUtcNow() >= deadline)
            {
                throw new DependencyUnavailableException("materials",
                    "The report is still being finished. Retry with the same request_id.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private async Task<ReportRow> ReportReworkAsync(Caller caller, ReportOutputRequest request, string hash, ProgrammeFacts facts, CancellationToken cancellationToken)
    {
        RequestValidator.TryToDateOnly(request.Day, out var day);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var reportId = Guid.CreateVersion7().ToString();
        var stored = await database.InTransactionAsync(async s =>
        {
            var order = await s.QuerySingleOrDefaultAsync<ReworkOrderRow>(
                "SELECT o.rework_order_id AS ReworkOrderId, o.inspection_id AS InspectionId, o.programme_id AS ProgrammeId, o.trainee_id AS TraineeId, " +
                "o.units AS Units, o.reworked_units AS ReworkedUnits, o.note AS Note, o.created_at AS CreatedAt, i.medical AS Medical " +
                "FROM rework_orders o JOIN inspections i ON i.inspection_id = o.inspection_id WHERE o.rework_order_id = @id" + s.Dialect.ForUpdate,
                new { id = request.ReworkOrderId });
            if (order is null || order.ProgrammeId != request.ProgrammeId || order.TraineeId != request.TraineeId)
            {
                throw new NotFoundException("rework order", request.ReworkOrderId);
            }
            if (order.Units - order.ReworkedUnits <= 0)
            {
                throw new PreconditionException(ProductionReasons.ReworkOrderClosed, "The rework order has no open units.");
            }
            if (request.Units > order.Units - order.ReworkedUnits)
            {
                throw new PreconditionException(ProductionReasons.ReworkExceedsOrder,
                    $"The rework order has {order.Units - order.ReworkedUnits} open units; {request.Units} were reported.",
                    [new PreconditionViolation(ProductionReasons.ReworkExceedsOrder, request.ReworkOrderId, $"open units {order.Units - order.ReworkedUnits}")]);
            }
            var report = new ReportRow
            {
                ReportId = reportId,
                RequestId = request.RequestId,
                RequestHash = hash,
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                ProductCode = request.ProductCode,
                ProductId = "",
                Medical = order.Medical,
                TimeZone = facts.TimeZone,
                Day = DayRules.ToText(day),
                Units = request.Units,
                Note = request.Note,
                PhotoUrl = request.PhotoUrl,
                ReworkOrderId = request.ReworkOrderId,
                Status = ReportStatus.Recorded,
                ReportedBy = caller.Subject,
                ReportedAt = now,
                SettledAt = now,
            };
            if (await InsertAsync(s, report, leaseUntil: 0) == 0)
            {
                return false;
            }
            await PhotoStore.AttachToReportAsync(s, reportId, request.PhotoIds);
            var updated = await s.ExecuteAsync(
                "UPDATE rework_orders SET reworked_units = reworked_units + @units WHERE rework_order_id = @id AND reworked_units + @units <= units",
                new { units = request.Units, id = request.ReworkOrderId });
            if (updated != 1)
            {
                throw new PreconditionException(ProductionReasons.ReworkExceedsOrder, "The rework order has fewer open units than reported.");
            }
            await outbox.EnqueueAsync(s, OutboxNames.CoordinatorOutput, OutputEffect(report, rework: true));
            return true;
        }, cancellationToken);
        var row = await FindByRequestAsync(request.RequestId, cancellationToken)
            ?? throw new InvalidOperationException("A rework report vanished after it was stored.");
        return stored ? row : await ReplayAsync(caller, row, hash, cancellationToken);
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

    private static Task<int> InsertAsync(DbSession s, ReportRow r, long leaseUntil) => s.ExecuteAsync(
        "INSERT INTO output_reports (report_id, request_id, request_hash, programme_id, trainee_id, product_code, product_id, medical, time_zone, " +
        "day, units, note, photo_url, rework_order_id, status, reported_by, reported_at, settled_at, lease_until, next_attempt_at) VALUES " +
        "(@ReportId, @RequestId, @RequestHash, @ProgrammeId, @TraineeId, @ProductCode, @ProductId, @Medical, @TimeZone, @Day, @Units, @Note, " +
        "@PhotoUrl, @ReworkOrderId, @Status, @ReportedBy, @ReportedAt, @SettledAt, @leaseUntil, 0) ON CONFLICT (request_id) DO NOTHING",
        new
        {
            r.ReportId,
            r.RequestId,
            r.RequestHash,
            r.ProgrammeId,
            r.TraineeId,
            r.ProductCode,
            r.ProductId,
            r.Medical,
            r.TimeZone,
            r.Day,
            r.Units,
            r.Note,
            r.PhotoUrl,
            r.ReworkOrderId,
            r.Status,
            r.ReportedBy,
            r.ReportedAt,
            r.SettledAt,
            leaseUntil,
        });

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
        if (facts.Status != ProgrammeStatus.Active)
        {
            throw new PreconditionException(ProductionReasons.ProgrammeNotActive, "The programme is not active.",
                [new PreconditionViolation(ProductionReasons.ProgrammeNotActive, request.ProgrammeId, $"status is {facts.Status}")]);
        }
        if (!facts.TraineeEnrolled)
        {
            throw new PreconditionException(ProductionReasons.NotEnrolled, "The trainee is not actively enrolled in the programme.",
                [new PreconditionViolation(ProductionReasons.NotEnrolled, request.TraineeId, "not actively enrolled")]);
        }
        if (!string.Equals(facts.ProductCode, request.ProductCode, StringComparison.Ordinal))
        {
            throw new PreconditionException(ProductionReasons.ProductMismatch, $"The programme makes '{facts.ProductCode}', not '{request.ProductCode}'.",
                [new PreconditionViolation(ProductionReasons.ProductMismatch, request.ProductCode, $"the programme's product is {facts.ProductCode}")]);
        }
        if (!facts.ContainsDay(day))
        {
            throw new PreconditionException(ProductionReasons.DayOutsideProgramme,
                $"{DayRules.ToText(day)} is not a programme day ({DayRules.ToText(facts.StartDay)} to {DayRules.ToText(facts.EndDay)}).",
                [new PreconditionViolation(ProductionReasons.DayOutsideProgramme, "day", $"programme days are {DayRules.ToText(facts.StartDay)} to {DayRules.ToText(facts.EndDay)}")]);
        }
        if (day > DayRules.Today(time.GetUtcNow(), facts.TimeZone))
        {
            throw new PreconditionException(ProductionReasons.DayInFuture, "Output cannot be reported for a day that has not come yet.");
        }
        if (request.Units > _options.MaxUnitsPerReport)
        {
            throw new ValidationException("units", $"must be between 1 and {_options.MaxUnitsPerReport}");
        }
    }

    private async Task<ReportRow?> FindByRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE request_id = @requestId", new { requestId }, cancellationToken: cancellationToken));
    }

    public async Task<ReportRow> GetAsync(string reportId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE report_id = @reportId", new { reportId }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("output report", reportId);
    }

    private sealed record StoredViolation(string Type, string Subject, string Description);
}

using Bimtek.Common.V1;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.V1;
using Bimtek.Production.Api;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Application;

/// <summary>
/// Inspections, health-expert sign-offs and rework orders. Each is one idempotent transaction that
/// locks what it counts from (the reports, or the inspection) and changes counts with guarded
/// updates, so units are never inspected twice nor more than reported, also under concurrency.
/// Effects leave through the outbox in the same transaction: every inspection or sign-off to the
/// coordinator, finally accepted units to distribution — never units still awaiting sign-off.
/// </summary>
internal sealed class InspectionWorkflow(
    Database database,
    IdempotentExecutor idempotency,
    ProgrammeDirectory directory,
    ChecklistRepository checklists,
    OutboxWriter outbox,
    NotificationEvents notifications,
    PhotoLibrary photos,
    TimeProvider time)
{
    public async Task<Inspection> InspectAsync(Caller caller, InspectOutputRequest request, CancellationToken cancellationToken)
    {
        var inspector = await ResolveStaffAsync(caller, request.ProgrammeId, request.InspectorId, cancellationToken);
        if (!inspector.PersonIsStaff)
        {
            throw caller.IsPrivileged
                ? new PreconditionException(ProductionReasons.NotInspector, "The inspector is not an instructor or health expert of the programme.")
                : new PermissionDeniedException();
        }
        var isHealthExpert = inspector.PersonRole == Role.HealthExpert;
        await photos.EnsureAttachableAsync(request.PhotoIds, request.ProgrammeId, request.TraineeId, traineeReports: false, cancellationToken);

        return await idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var reports = await LockReportsAsync(s, request);
            await checklists.EnsureValidAsync(s, reports[0].ProductCode, request.Defects);
            var available = reports.Sum(r => r.Remaining);
            var total = request.AcceptedUnits + request.RejectedUnits;
            if (available == 0)
            {
                throw new PreconditionException(ProductionReasons.NothingToInspect, "The selected reports have no units left to inspect.");
            }
            if (total > available)
            {
                throw new PreconditionException(ProductionReasons.ExceedsReported,
                    $"{total} units exceed the {available} units left to inspect in the selected reports.",
                    [new PreconditionViolation(ProductionReasons.ExceedsReported, request.TraineeId, $"{available} units left to inspect")]);
            }
            var shares = UnitAllocation.Inspect(reports.Select(r => (r.ReportId, r.Remaining)).ToList(), request.AcceptedUnits, request.RejectedUnits);
            var medical = reports[0].IsMedical;
            var outcome = InspectionOutcome.Decide(medical, isHealthExpert, request.AcceptedUnits);
            var now = time.GetUtcNow();
            var inspectionId = Guid.CreateVersion7().ToString();
            var status = outcome.AwaitingSignOff > 0 ? InspectionStatus.AwaitingSignOff
                : outcome.SignedOffByInspector ? InspectionStatus.SignedOff
                : InspectionStatus.Completed;

            await s.ExecuteAsync(
                "INSERT INTO inspections (inspection_id, programme_id, trainee_id, product_code, medical, time_zone, inspected_units, passed_units, " +
                "rejected_units, inspector_id, inspector_role, status, accepted_units, awaiting_sign_off_units, note, inspected_at, " +
                "sign_off_expert_id, sign_off_accepted, sign_off_rejected, sign_off_note, signed_off_at) VALUES (@inspectionId, @ProgrammeId, " +
                "@TraineeId, @productCode, @medical, @timeZone, @total, @AcceptedUnits, @RejectedUnits, @inspectorId, @role, @status, @accepted, " +
                "@awaiting, @Note, @now, @expert, @signAccepted, @signRejected, @signNote, @signedAt)",
                new
                {
                    inspectionId,
                    request.ProgrammeId,
                    request.TraineeId,
                    productCode = reports[0].ProductCode,
                    medical = medical ? 1 : 0,
                    timeZone = reports[0].TimeZone,
                    total,
                    request.AcceptedUnits,
                    request.RejectedUnits,
                    inspectorId = inspector.PersonId,
                    role = (int)(isHealthExpert ? InspectorRole.HealthExpert : InspectorRole.Instructor),
                    status = (int)status,
                    accepted = outcome.Accepted,
                    awaiting = outcome.AwaitingSignOff,
                    request.Note,
                    now = now.ToUnixTimeMilliseconds(),
                    expert = outcome.SignedOffByInspector ? inspector.PersonId : null,
                    signAccepted = outcome.SignedOffByInspector ? outcome.Accepted : (int?)null,
                    signRejected = outcome.SignedOffByInspector ? 0 : (int?)null,
                    signNote = outcome.SignedOffByInspector ? "" : null,
                    signedAt = outcome.SignedOffByInspector ? now.ToUnixTimeMilliseconds() : (long?)null,
                });
            var position = 0;
            foreach (var share in shares)
            {
                var taken = await s.ExecuteAsync(
                    "UPDATE output_reports SET inspected_units = inspected_units + @units " +
                    "WHERE report_id = @ReportId AND status = 'recorded' AND inspected_units + @units <= units",
                    new { share.ReportId, units = share.Units });
                if (taken != 1)
                {
                    throw new PreconditionException(ProductionReasons.ExceedsReported, "The units were inspected by someone else meanwhile.");
                }
                var awaiting = outcome.AwaitingSignOff > 0 ? share.Passed : 0;
                await s.ExecuteAsync(
                    "INSERT INTO inspection_reports (inspection_id, report_id, units, passed_units, rejected_units, accepted_units, awaiting_units, position) " +
                    "VALUES (@inspectionId, @ReportId, @Units, @Passed, @Rejected, @accepted, @awaiting, @position)",
                    new { inspectionId, share.ReportId, share.Units, share.Passed, share.Rejected, accepted = share.Passed - awaiting, awaiting, position = position++ });
            }
            await InsertDefectsAsync(s, inspectionId, DefectStages.Inspection, request.Defects);
            await PhotoStore.AttachToInspectionAsync(s, inspectionId, "inspection", request.PhotoIds);

            var day = DayRules.Today(now, reports[0].TimeZone);
            await outbox.EnqueueAsync(s, OutboxNames.CoordinatorInspection, new ApplyInspectionResultRequest
            {
                InspectionId = inspectionId,
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                Day = DayRules.ToDate(day),
                InspectedUnits = total,
                AcceptedUnits = outcome.Accepted,
                RejectedUnits = request.RejectedUnits,
                AwaitingSignOffDelta = outcome.AwaitingSignOff,
            });
            await EnqueueAcceptedAsync(s, inspectionId, request.ProgrammeId, request.TraineeId, reports[0].ProductCode, outcome.Accepted, now);
            await notifications.RejectedAsync(s, inspectionId, request.ProgrammeId, reports[0].TimeZone, request.TraineeId, request.RejectedUnits, request.Note, request.Defects);
            await notifications.AwaitingSignOffAsync(s, inspectionId, request.ProgrammeId, reports[0].TimeZone, outcome.AwaitingSignOff);
            return await InspectionStore.LoadAsync(s.Connection, s.Transaction, inspectionId);
        }, cancellationToken);
    }

    public async Task<Inspection> SignOffAsync(Caller caller, SignOffInspectionRequest request, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(request.InspectionId, cancellationToken);
        if (existing is null)
        {
            throw caller.IsAny(Roles.Operator, Roles.Service, Roles.HealthExpert, Roles.Instructor)
                ? new NotFoundException("inspection", request.InspectionId)
                : new PermissionDeniedException();
        }
        var expert = await ResolveStaffAsync(caller, existing.ProgrammeId, request.HealthExpertId, cancellationToken);
        if (expert.PersonRole == Role.Instructor || (caller.IsPrivileged && expert.PersonRole != Role.HealthExpert))
        {
            throw new PreconditionException(ProductionReasons.NotHealthExpert,
                "Only a health expert of the programme may sign off medical products.",
                [new PreconditionViolation(ProductionReasons.NotHealthExpert, expert.PersonId, "not a health expert of the programme")]);
        }
        if (expert.PersonRole != Role.HealthExpert)
        {
            throw new PermissionDeniedException();
        }
        await photos.EnsureAttachableAsync(request.PhotoIds, existing.ProgrammeId, existing.TraineeId, traineeReports: false, cancellationToken);

        return await idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var inspection = await InspectionStore.FindAsync(s.Connection, s.Transaction, request.InspectionId, s.Dialect.ForUpdate)
                ?? throw new NotFoundException("inspection", request.InspectionId);
            if (inspection.Status != (long)InspectionStatus.AwaitingSignOff || inspection.AwaitingSignOffUnits == 0)
            {
                throw new PreconditionException(ProductionReasons.NotAwaitingSignOff, "Nothing of this inspection awaits a sign-off.");
            }
            var awaiting = (int)inspection.AwaitingSignOffUnits;
            if (request.AcceptedUnits + request.RejectedUnits != awaiting)
            {
                throw new PreconditionException(ProductionReasons.CountsDoNotAddUp,
                    $"Accepted plus rejected must equal the {awaiting} units awaiting sign-off.",
                    [new PreconditionViolation(ProductionReasons.CountsDoNotAddUp, request.InspectionId, $"{awaiting} units await sign-off")]);
            }
            await checklists.EnsureValidAsync(s, inspection.ProductCode, request.Defects);
            var parts = (await s.QueryAsync<InspectionReportRow>(
                "SELECT report_id AS ReportId, awaiting_units AS AwaitingUnits, position AS Position FROM inspection_reports " +
                "WHERE inspection_id = @InspectionId ORDER BY position", new { inspection.InspectionId })).ToList();
            foreach (var (reportId, accepted, rejected) in UnitAllocation.SignOff(parts.Select(p => (p.ReportId, (int)p.AwaitingUnits)).ToList(), request.AcceptedUnits))
            {
                await s.ExecuteAsync(
                    "UPDATE inspection_reports SET accepted_units = accepted_units + @accepted, rejected_units = rejected_units + @rejected, awaiting_units = 0 " +
                    "WHERE inspection_id = @InspectionId AND report_id = @reportId",
                    new { inspection.InspectionId, reportId, accepted, rejected });
            }
            var now = time.GetUtcNow();
            var updated = await s.ExecuteAsync(
                "UPDATE inspections SET status = @status, accepted_units = accepted_units + @accepted, awaiting_sign_off_units = 0, " +
                "sign_off_expert_id = @expert, sign_off_accepted = @accepted, sign_off_rejected = @rejected, sign_off_note = @note, signed_off_at = @now " +
                "WHERE inspection_id = @InspectionId AND awaiting_sign_off_units = @awaiting",
                new
                {
                    status = (int)InspectionStatus.SignedOff,
                    accepted = request.AcceptedUnits,
                    rejected = request.RejectedUnits,
                    expert = expert.PersonId,
                    note = request.Note,
                    now = now.ToUnixTimeMilliseconds(),
                    inspection.InspectionId,
                    awaiting,
                });
            if (updated != 1)
            {
                throw new PreconditionException(ProductionReasons.NotAwaitingSignOff, "The inspection was signed off by someone else meanwhile.");
            }
            await InsertDefectsAsync(s, inspection.InspectionId, DefectStages.SignOff, request.Defects);
            await outbox.EnqueueAsync(s, OutboxNames.CoordinatorInspection, new ApplyInspectionResultRequest
            {
                InspectionId = inspection.InspectionId,
                ProgrammeId = inspection.ProgrammeId,
                TraineeId = inspection.TraineeId,
                Day = DayRules.ToDate(DayRules.Today(now, inspection.TimeZone)),
                InspectedUnits = 0,
                AcceptedUnits = request.AcceptedUnits,
                RejectedUnits = request.RejectedUnits,
                AwaitingSignOffDelta = -awaiting,
            });
            await EnqueueAcceptedAsync(s, inspection.InspectionId, inspection.ProgrammeId, inspection.TraineeId, inspection.ProductCode, request.AcceptedUnits, now);
            await notifications.RejectedAsync(s, inspection.InspectionId + "/sign-off", inspection.ProgrammeId, inspection.TimeZone, inspection.TraineeId,
                request.RejectedUnits, request.Note, request.Defects);
            await PhotoStore.AttachToInspectionAsync(s, inspection.InspectionId, "sign_off", request.PhotoIds);
            return await InspectionStore.LoadAsync(s.Connection, s.Transaction, inspection.InspectionId);
        }, cancellationToken);
    }

    public async Task<ReworkOrder> SendBackAsync(Caller caller, SendBackForReworkRequest request, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(request.InspectionId, cancellationToken);
        if (existing is null)
        {
            throw caller.IsAny(Roles.Operator, Roles.Service, Roles.HealthExpert, Roles.Instructor)
                ? new NotFoundException("inspection", request.InspectionId)
                : new PermissionDeniedException();
        }
        if (!caller.IsAny(Roles.Operator, Roles.Service))
        {
            var staff = await directory.CheckAsync(caller, existing.ProgrammeId, "", cancellationToken);
            if (!staff.PersonIsStaff || !caller.IsAny(Roles.Instructor, Roles.HealthExpert))
            {
                throw new PermissionDeniedException();
            }
        }
        return await idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var inspection = await InspectionStore.FindAsync(s.Connection, s.Transaction, request.InspectionId, s.Dialect.ForUpdate)
                ?? throw new NotFoundException("inspection", request.InspectionId);
            var open = inspection.TotalRejected - inspection.SentBackUnits;
            if (request.Units > open)
            {
                throw new PreconditionException(ProductionReasons.ReworkExceedsRejected,
                    $"Only {open} rejected units of this inspection are not yet sent back.",
                    [new PreconditionViolation(ProductionReasons.ReworkExceedsRejected, request.InspectionId, $"{open} rejected units not yet sent back")]);
            }
            var updated = await s.ExecuteAsync(
                "UPDATE inspections SET sent_back_units = sent_back_units + @units WHERE inspection_id = @InspectionId AND sent_back_units + @units <= @rejected",
                new { units = request.Units, inspection.InspectionId, rejected = inspection.TotalRejected });
            if (updated != 1)
            {
                throw new PreconditionException(ProductionReasons.ReworkExceedsRejected, "The rejected units were sent back by someone else meanwhile.");
            }
            var order = new ReworkOrderRow
            {
                ReworkOrderId = Guid.CreateVersion7().ToString(),
                InspectionId = inspection.InspectionId,
                ProgrammeId = inspection.ProgrammeId,
                TraineeId = inspection.TraineeId,
                Units = request.Units,
                Note = request.Note,
                CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await s.ExecuteAsync(
                "INSERT INTO rework_orders (rework_order_id, inspection_id, programme_id, trainee_id, units, reworked_units, note, created_at) " +
                "VALUES (@ReworkOrderId, @InspectionId, @ProgrammeId, @TraineeId, @Units, 0, @Note, @CreatedAt)", order);
            await notifications.SentBackAsync(s, order.ReworkOrderId, order.ProgrammeId, inspection.TimeZone, order.TraineeId, request.Units, request.Note);
            return ProtoMapping.ToProto(order);
        }, cancellationToken);
    }

    /// <summary>The recorded reports an inspection takes from, oldest first, locked for this transaction.</summary>
    private static async Task<List<ReportRow>> LockReportsAsync(DbSession s, InspectOutputRequest request)
    {
        List<ReportRow> reports;
        if (request.ReportIds.Count > 0)
        {
            var ids = request.ReportIds.Distinct().ToArray();
            reports = (await s.QueryAsync<ReportRow>(
                $"SELECT {ReportRow.Columns} FROM output_reports WHERE report_id {InspectionStore.InList(s.Connection)} ORDER BY reported_at, report_id{s.Dialect.ForUpdate}",
                new { ids })).ToList();
            var missing = ids.Except(reports.Where(r => r.ProgrammeId == request.ProgrammeId && r.TraineeId == request.TraineeId).Select(r => r.ReportId)).FirstOrDefault();
            if (missing is not null)
            {
                throw new NotFoundException("output report", missing);
            }
            var unrecorded = reports.FirstOrDefault(r => r.Status != ReportStatus.Recorded);
            if (unrecorded is not null)
            {
                throw new PreconditionException(ProductionReasons.ReportNotRecorded, $"Report {unrecorded.ReportId} is {unrecorded.Status}, not recorded.",
                    [new PreconditionViolation(ProductionReasons.ReportNotRecorded, unrecorded.ReportId, $"status is {unrecorded.Status}")]);
            }
        }
        else
        {
            RequestValidator.TryToDateOnly(request.Day, out var day);
            reports = (await s.QueryAsync<ReportRow>(
                $"SELECT {ReportRow.Columns} FROM output_reports WHERE programme_id = @ProgrammeId AND trainee_id = @TraineeId AND day = @day " +
                $"AND status = 'recorded' AND inspected_units < units ORDER BY reported_at, report_id{s.Dialect.ForUpdate}",
                new { request.ProgrammeId, request.TraineeId, day = DayRules.ToText(day) })).ToList();
            if (reports.Count == 0)
            {
                throw new PreconditionException(ProductionReasons.NothingToInspect, $"The trainee has no units of {DayRules.ToText(day)} left to inspect.");
            }
        }
        return reports;
    }

    private async Task EnqueueAcceptedAsync(DbSession s, string inspectionId, string programmeId, string traineeId, string productCode, int accepted, DateTimeOffset now)
    {
        if (accepted <= 0)
        {
            return;
        }
        await outbox.EnqueueAsync(s, OutboxNames.DistributionAccepted, new ReceiveAcceptedGoodsRequest
        {
            InspectionId = inspectionId,
            ProgrammeId = programmeId,
            TraineeId = traineeId,
            ProductCode = productCode,
            Units = accepted,
            AcceptedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now),
        });
    }

    private static async Task InsertDefectsAsync(DbSession s, string inspectionId, string stage, IEnumerable<DefectCount> defects)
    {
        foreach (var defect in defects)
        {
            await s.ExecuteAsync(
                "INSERT INTO inspection_defects (inspection_id, stage, defect_code, units) VALUES (@inspectionId, @stage, @DefectCode, @Units)",
                new { inspectionId, stage, defect.DefectCode, defect.Units });
        }
    }

    /// <summary>
    /// The person acting as inspector or health expert: the caller (by token subject), or for an
    /// operator/service the person named in the request.
    /// </summary>
    private async Task<ProgrammeFacts> ResolveStaffAsync(Caller caller, string programmeId, string personId, CancellationToken cancellationToken)
    {
        if (caller.IsAny(Roles.Operator, Roles.Service))
        {
            if (string.IsNullOrEmpty(personId))
            {
                throw new ValidationException("inspector_id", "is required when an operator records for a staff member");
            }
            return await directory.CheckAsync(caller, programmeId, "", cancellationToken, personId);
        }
        if (!caller.IsAny(Roles.Instructor, Roles.HealthExpert))
        {
            throw new PermissionDeniedException();
        }
        var facts = await directory.CheckAsync(caller, programmeId, "", cancellationToken);
        if (!string.IsNullOrEmpty(personId) && personId != facts.PersonId)
        {
            throw new PermissionDeniedException("Staff record inspections in their own name.");
        }
        return facts;
    }

    private async Task<InspectionRow?> FindAsync(string inspectionId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await InspectionStore.FindAsync(c, null, inspectionId);
    }
}

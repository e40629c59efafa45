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
    public override Task<AssistanceRequest> OpenAssistanceRequest(OpenAssistanceRequestRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Optional("product_step", request.ProductStep, 200)
            .Required("description", request.Description, 2000)
            .When(request.LessonId == "" && string.IsNullOrWhiteSpace(request.ProductStep), "lesson_id", "lesson_id or product_step is required");
        if (request.LessonId != "")
        {
            v.Id("lesson_id", request.LessonId);
        }
        v.ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (_, db, access) =>
        {
            await access.RequireForTraineeAsync(request.ProgrammeId, request.TraineeId, instructorsOnly: true);
            await RequireProgrammeAsync(db, request.ProgrammeId);
            await RequireEnrolledAsync(db, request.ProgrammeId, request.TraineeId);
            if (request.LessonId != "" && (await LessonQueries.GetAsync(db, request.LessonId))?.ProgrammeId != request.ProgrammeId)
            {
                var message = "The lesson does not belong to this programme.";
                throw new PreconditionException(Reasons.LessonNotInProgramme, message,
                    [new PreconditionViolation(Reasons.LessonNotInProgramme, $"lessons/{request.LessonId}", message)]);
            }
            var row = new AssistanceRow
            {
                AssistanceRequestId = Guid.CreateVersion7().ToString(),
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                LessonId = request.LessonId,
                ProductStep = request.ProductStep,
                Description = request.Description,
                Origin = (long)(await access.IsSelfAsync(request.TraineeId) ? AssistanceOrigin.Trainee : AssistanceOrigin.Staff),
                Status = (long)AssistanceStatus.Open,
                CreatedAt = NowMs,
            };
            await AssistanceQueries.InsertAsync(db, row);
            return ProtoMapping.ToProto(row);
        });
    }

    private static async Task<EnrolmentRow> RequireEnrolledAsync(Db db, string programmeId, string traineeId) =>
        await EnrolmentQueries.ActiveAsync(db, programmeId, traineeId)
        ?? throw new PreconditionException(Reasons.TraineeNotEnrolled, "The trainee is not actively enrolled in the programme.",
            [new PreconditionViolation(Reasons.TraineeNotEnrolled, $"people/{traineeId}", "not actively enrolled")]);

    public override Task<AssistanceRequest> GetAssistanceRequest(GetAssistanceRequestRequest request, ServerCallContext context)
    {
        Validate().Id("assistance_request_id", request.AssistanceRequestId).ThrowIfInvalid();
        return ReadAsync(context, async (db, access) =>
        {
            var row = await AssistanceQueries.GetAsync(db, request.AssistanceRequestId);
            if (row is null || !await access.CoversProgrammeAsync(row.ProgrammeId))
            {
                throw access.IsAdmin ? new NotFoundException("assistance request", request.AssistanceRequestId) : Access.Denied();
            }
            await access.RequireForTraineeAsync(row.ProgrammeId, row.TraineeId, instructorsOnly: false);
            return ProtoMapping.ToProto(row);
        });
    }

    public override Task<ListAssistanceRequestsResponse> ListAssistanceRequests(ListAssistanceRequestsRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Defined("status", request.Status, allowUnspecified: true)
            .When(request.ProgrammeId == "" && request.InstructorId == "" && request.TraineeId == "", "programme_id",
                "programme_id, instructor_id or trainee_id is required");
        foreach (var (field, value) in new[] { ("programme_id", request.ProgrammeId), ("instructor_id", request.InstructorId), ("trainee_id", request.TraineeId) })
        {
            if (value != "")
            {
                v.Id(field, value);
            }
        }
        v.ValidPageToken(request.PageToken, AssistanceQueries.Listing).ThrowIfInvalid();
        var page = AssistanceQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || (request.TraineeId != "" && await access.IsSelfAsync(request.TraineeId))
                || (request.ProgrammeId != "" && await access.IsStaffOfAsync(request.ProgrammeId))
                || (request.InstructorId != "" && access.Caller.Is(Roles.Instructor) && await access.IsSelfAsync(request.InstructorId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            var (rows, next) = AssistanceQueries.Listing.Cut(
                await AssistanceQueries.ListAsync(db, request.ProgrammeId, request.TraineeId, request.InstructorId, (int)request.Status, page), page);
            var response = new ListAssistanceRequestsResponse { NextPageToken = next };
            response.AssistanceRequests.Add((await access.VisibleAsync(rows, row => row.ProgrammeId)).Select(ProtoMapping.ToProto));
            return response;
        });
    }

    public override Task<AssistanceRequest> OpenBehindScheduleRequest(OpenBehindScheduleRequestRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Date("day", request.Day)
            .Range("done_units", request.DoneUnits, 0, int.MaxValue)
            .Range("expected_units", request.ExpectedUnits, 0, int.MaxValue)
            .Range("quota", request.Quota, 0, int.MaxValue)
            .ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Service);
            }
            var day = ProtoMapping.DayText(request.Day);
            // Idempotent per trainee, programme and day whatever the request_id: the existing
            // request answers (the unique index decides when two arrive at once).
            if (await AssistanceQueries.BehindScheduleAsync(db, request.ProgrammeId, request.TraineeId, day) is { } existing)
            {
                return ProtoMapping.ToProto(existing);
            }
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId);
            await RequireEnrolledAsync(db, request.ProgrammeId, request.TraineeId);
            var row = new AssistanceRow
            {
                AssistanceRequestId = Guid.CreateVersion7().ToString(),
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                Description = $"Behind schedule on {day}: {request.DoneUnits} of {request.ExpectedUnits} units expected by then (quota {request.Quota}).",
                Origin = (long)AssistanceOrigin.BehindSchedule,
                Status = (long)AssistanceStatus.Open,
                BehindScheduleDay = day,
                CreatedAt = NowMs,
            };
            if (await AssistanceQueries.InsertAsync(db, row) == 0)
            {
                return ProtoMapping.ToProto((await AssistanceQueries.BehindScheduleAsync(db, request.ProgrammeId, request.TraineeId, day))!);
            }
            // Told once per trainee and day: only the request that opened the day's assistance request tells it.
            await notifications.BehindScheduleAsync(session, row, programme, request.DoneUnits, request.ExpectedUnits);
            return ProtoMapping.ToProto(row);
        });
    }

    public override Task<HomeVisit> ScheduleHomeVisit(ScheduleHomeVisitRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("assistance_request_id", request.AssistanceRequestId)
            .Id("instructor_id", request.InstructorId)
            .Date("day", request.Day)
            .Present("window_start", request.WindowStart)
            .Present("window_end", request.WindowEnd)
            .Required("address", request.Address, 500);
        ValidateTime(v, "window_start", request.WindowStart);
        ValidateTime(v, "window_end", request.WindowEnd);
        if (v.IsValid && ProtoMapping.SecondsOfDay(request.WindowEnd) <= ProtoMapping.SecondsOfDay(request.WindowStart))
        {
            v.Add("window_end", "must be after window_start");
        }
        v.ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            var assistance = await AssistanceQueries.GetAsync(db, request.AssistanceRequestId, lockRow: true);
            if (assistance is null || !await access.CoversProgrammeAsync(assistance.ProgrammeId))
            {
                throw access.IsAdmin ? new NotFoundException("assistance request", request.AssistanceRequestId) : Access.Denied();
            }
            await access.RequireAdminOrInstructorOfAsync(assistance.ProgrammeId);
            var programme = await RequireProgrammeAsync(db, assistance.ProgrammeId);
            if (assistance.Status != (long)AssistanceStatus.Open)
            {
                var reason = assistance.Status == (long)AssistanceStatus.VisitScheduled ? Reasons.VisitAlreadyScheduled : Reasons.AssistanceRequestClosed;
                var message = $"The assistance request is {(AssistanceStatus)assistance.Status}, not open.";
                throw new PreconditionException(reason, message, [new PreconditionViolation(reason, $"assistance-requests/{assistance.AssistanceRequestId}", message)]);
            }
            var assignment = await ProgrammeQueries.AssignmentAsync(db, assistance.ProgrammeId, request.InstructorId);
            if (assignment?.Role != (long)StaffRole.Instructor)
            {
                var message = "The visitor must be an instructor of the programme.";
                throw new PreconditionException(Reasons.NotAnInstructorOfProgramme, message,
                    [new PreconditionViolation(Reasons.NotAnInstructorOfProgramme, $"people/{request.InstructorId}", message)]);
            }
            if (ProtoMapping.ToDateOnly(request.Day) < TodayIn(programme.TimeZone))
            {
                throw new ValidationException("day", "must not be in the past in the programme's time zone");
            }
            var visit = new VisitRow
            {
                HomeVisitId = Guid.CreateVersion7().ToString(),
                AssistanceRequestId = assistance.AssistanceRequestId,
                ProgrammeId = assistance.ProgrammeId,
                TraineeId = assistance.TraineeId,
                InstructorId = request.InstructorId,
                Day = ProtoMapping.DayText(request.Day),
                WindowStartSeconds = ProtoMapping.SecondsOfDay(request.WindowStart),
                WindowEndSeconds = ProtoMapping.SecondsOfDay(request.WindowEnd),
                Address = request.Address,
                CreatedAt = NowMs,
            };
            await AssistanceQueries.InsertVisitAsync(db, visit);
            await AssistanceQueries.UpdateStatusAsync(db, assistance.AssistanceRequestId, (int)AssistanceStatus.VisitScheduled, request.InstructorId, null);
            await notifications.HomeVisitBookedAsync(session, visit, programme, await PeopleQueries.GetAsync(db, visit.TraineeId));
            return ProtoMapping.ToProto(visit);
        });
    }

    private static void ValidateTime(RequestValidator v, string field, Google.Type.TimeOfDay? t)
    {
        if (t is not null && (t.Hours is < 0 or > 23 || t.Minutes is < 0 or > 59 || t.Seconds is < 0 or > 59 || t.Nanos != 0))
        {
            v.Add(field, "must be a time of day between 00:00 and 23:59:59 (whole seconds)");
        }
    }

    private DateOnly TodayIn(string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);

    public override Task<HomeVisit> LogHomeVisitOutcome(LogHomeVisitOutcomeRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("home_visit_id", request.HomeVisitId)
            .Defined("outcome", request.Outcome)
            .Optional("notes", request.Notes, 2000)
            .When(request.VisitedAt is not null && request.VisitedAt.ToDateTimeOffset() > time.GetUtcNow() + MaxClockSkew, "visited_at", "must not be in the future")
            .ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (_, db, access) =>
        {
            var visit = await AssistanceQueries.GetVisitAsync(db, request.HomeVisitId, lockRow: true);
            if (visit is null || !await access.CoversProgrammeAsync(visit.ProgrammeId))
            {
                throw access.IsAdmin ? new NotFoundException("home visit", request.HomeVisitId) : Access.Denied();
            }
            if (!access.IsAdmin && !(access.Caller.Is(Roles.Instructor) && await access.IsSelfAsync(visit.InstructorId)))
            {
                throw new PermissionDeniedException("Only the visiting instructor and operators may log a visit.");
            }
            HomeVisitRules.EnsureScheduled(visit.HomeVisitId, HomeVisitRules.StateOf(visit.Outcome, visit.CancelledAt));
            var now = NowMs;
            var visitedAt = request.VisitedAt is null ? now : ProtoMapping.ToUnixMs(request.VisitedAt);
            await AssistanceQueries.LogOutcomeAsync(db, visit.HomeVisitId, (int)request.Outcome, request.Notes, visitedAt);
            var (status, closedAt) = request.Outcome switch
            {
                VisitOutcome.Resolved => (AssistanceStatus.Resolved, (long?)now),
                VisitOutcome.TraineeWithdrew => (AssistanceStatus.Closed, now),
                _ => (AssistanceStatus.Open, null),
            };
            await AssistanceQueries.UpdateStatusAsync(db, visit.AssistanceRequestId, (int)status, visit.InstructorId, closedAt);
            visit.Outcome = (long)request.Outcome;
            visit.OutcomeNotes = request.Notes;
            visit.VisitedAt = visitedAt;
            return ProtoMapping.ToProto(visit);
        });
    }

    public override Task<HomeVisit> MoveHomeVisit(MoveHomeVisitRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("home_visit_id", request.HomeVisitId)
            .Date("day", request.Day)
            .Present("window_start", request.WindowStart)
            .Present("window_end", request.WindowEnd)
            .Required("reason", request.Reason, 500);
        ValidateTime(v, "window_start", request.WindowStart);
        ValidateTime(v, "window_end", request.WindowEnd);
        v.ThrowIfInvalid();
        var to = new VisitSlot(ProtoMapping.ToDateOnly(request.Day), ProtoMapping.SecondsOfDay(request.WindowStart), ProtoMapping.SecondsOfDay(request.WindowEnd));
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
            ProtoMapping.ToProto(await visits.MoveAsync(session, db, access, request.HomeVisitId, to, request.Reason.Trim())));
    }

    public override Task<HomeVisit> CancelHomeVisit(CancelHomeVisitRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("home_visit_id", request.HomeVisitId)
            .Required("reason", request.Reason, 500)
            .ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
            ProtoMapping.ToProto(await visits.CancelAsync(session, db, access, request.HomeVisitId, request.Reason.Trim())));
    }

    public override Task<ListHomeVisitsResponse> ListHomeVisits(ListHomeVisitsRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Date("from_day", request.FromDay, required: false)
            .When(request.ProgrammeId == "" && request.InstructorId == "", "programme_id", "programme_id or instructor_id is required");
        if (request.ProgrammeId != "")
        {
            v.Id("programme_id", request.ProgrammeId);
        }
        if (request.InstructorId != "")
        {
            v.Id("instructor_id", request.InstructorId);
        }
        v.ValidPageToken(request.PageToken, AssistanceQueries.Visits).ThrowIfInvalid();
        var page = AssistanceQueries.Visits.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || (request.ProgrammeId != "" && await access.IsStaffOfAsync(request.ProgrammeId))
                || (request.InstructorId != "" && access.Caller.Is(Roles.Instructor) && await access.IsSelfAsync(request.InstructorId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            var fromDay = request.FromDay is null ? "" : ProtoMapping.DayText(request.FromDay);
            var (rows, next) = AssistanceQueries.Visits.Cut(
                await AssistanceQueries.ListVisitsAsync(db, request.ProgrammeId, request.InstructorId, fromDay, request.PendingOnly, page), page);
            var response = new ListHomeVisitsResponse { NextPageToken = next };
            response.HomeVisits.Add((await access.VisibleAsync(rows, visit => visit.ProgrammeId)).Select(ProtoMapping.ToProto));
            return response;
        });
    }
}

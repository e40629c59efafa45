using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<Programme> CreateProgramme(CreateProgrammeRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Required("code", request.Code, 64)
            .When(!string.IsNullOrEmpty(request.Code) && !request.Code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'),
                "code", "must use only A-Z, 0-9 and '-'")
            .Required("title", request.Title, 300)
            .Required("product_code", request.ProductCode, 64)
            .When(request.Organisers.Count is < 1 or > 5, "organisers", "must have 1 to 5 entries")
            .Required("district", request.District, 100)
            .Required("province", request.Province, 100)
            .Defined("mode", request.Mode)
            .Date("start_day", request.StartDay)
            .Date("end_day", request.EndDay)
            .Required("time_zone", request.TimeZone, 64)
            .Positive("capacity", request.Capacity, 10_000)
            .Positive("target_quantity", request.TargetQuantity, 10_000_000)
            .Optional("office", request.Office, 64);
        for (var i = 0; i < request.Organisers.Count; i++)
        {
            v.Required($"organisers[{i}]", request.Organisers[i], 200);
        }
        if (!string.IsNullOrWhiteSpace(request.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
        {
            v.Add("time_zone", "must be an IANA time zone such as Asia/Makassar");
        }
        if (request.StartDay is not null && request.EndDay is not null
            && RequestValidator.TryToDateOnly(request.StartDay, out var start) && RequestValidator.TryToDateOnly(request.EndDay, out var end) && end < start)
        {
            v.Add("end_day", "must not be before start_day");
        }
        v.ThrowIfInvalid();

        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            access.RequireAdmin();
            // The caller's office unless a province names one of its districts.
            var office = string.IsNullOrWhiteSpace(request.Office) ? access.Office : request.Office.Trim();
            if (!access.Covers(office))
            {
                throw new PermissionDeniedException($"Programmes of office '{office}' are created by that office or its province.");
            }
            if (await ProgrammeQueries.CodeTakenAsync(db, request.Code))
            {
                throw new AlreadyExistsException(Reasons.ProgrammeCodeTaken, $"A programme with code '{request.Code}' already exists.");
            }
            var now = NowMs;
            var row = new ProgrammeRow
            {
                ProgrammeId = Guid.CreateVersion7().ToString(),
                Code = request.Code,
                Title = request.Title,
                ProductCode = request.ProductCode,
                Organisers = ProtoMapping.OrganisersJson(request.Organisers),
                District = request.District,
                Province = request.Province,
                Mode = (long)request.Mode,
                StartDay = ProtoMapping.DayText(request.StartDay!),
                EndDay = ProtoMapping.DayText(request.EndDay!),
                TimeZone = request.TimeZone,
                Capacity = request.Capacity,
                TargetQuantity = request.TargetQuantity,
                Status = (long)ProgrammeState.Draft,
                Revision = 1,
                CreatedAt = now,
                UpdatedAt = now,
                Office = office,
            };
            await ProgrammeQueries.InsertAsync(db, row);
            await coordinator.ProgrammeChangedAsync(session, row);
            return ProtoMapping.ToProto(row, [], 0);
        });
    }

    public override Task<Programme> GetProgramme(GetProgrammeRequest request, ServerCallContext context)
    {
        Validate().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return ReadAsync(context, async (db, _) => await LoadProgrammeAsync(db, await RequireProgrammeAsync(db, request.ProgrammeId)));
    }

    public override Task<ListProgrammesResponse> ListProgrammes(ListProgrammesRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Defined("status", request.Status, allowUnspecified: true).Optional("district", request.District, 100);
        v.ValidPageToken(request.PageToken, ProgrammeQueries.Listing).ThrowIfInvalid();
        var pageOf = ProgrammeQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            var (page, next) = ProgrammeQueries.Listing.Cut(
                await ProgrammeQueries.ListAsync(db, (int)request.Status, request.District, pageOf, access.VisibleOffices()), pageOf);
            var staff = (await ProgrammeQueries.StaffOfManyAsync(db, page.Select(p => p.ProgrammeId).ToList())).ToLookup(s => s.ProgrammeId);
            var response = new ListProgrammesResponse { NextPageToken = next };
            foreach (var row in page)
            {
                response.Programmes.Add(ProtoMapping.ToProto(row, staff[row.ProgrammeId], await ProgrammeQueries.ActiveEnrolmentsAsync(db, row.ProgrammeId)));
            }
            return response;
        });
    }

    public override Task<Programme> ActivateProgramme(ActivateProgrammeRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return ChangeStatusAsync(request.RequestId, request, request.ProgrammeId, context, "",
            async (db, row) => ProgrammeLifecycle.Activate(row.ProgrammeId, (ProgrammeState)row.Status, (int)await ProgrammeQueries.InstructorCountAsync(db, row.ProgrammeId)));
    }

    public override Task<Programme> CompleteProgramme(CompleteProgrammeRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return ChangeStatusAsync(request.RequestId, request, request.ProgrammeId, context, "",
            (_, row) => Task.FromResult(ProgrammeLifecycle.Complete(row.ProgrammeId, (ProgrammeState)row.Status)));
    }

    public override Task<Programme> CancelProgramme(CancelProgrammeRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Required("reason", request.Reason, 500).ThrowIfInvalid();
        return ChangeStatusAsync(request.RequestId, request, request.ProgrammeId, context, request.Reason,
            (_, row) => Task.FromResult(ProgrammeLifecycle.Cancel(row.ProgrammeId, (ProgrammeState)row.Status)));
    }

    /// <summary>A lifecycle step: lock the programme, let the lifecycle decide, bump the revision, tell the coordinator.</summary>
    private Task<Programme> ChangeStatusAsync(
        string requestId, Google.Protobuf.IMessage request, string programmeId, ServerCallContext context, string cancellationReason,
        Func<Db, ProgrammeRow, Task<ProgrammeState>> transition) =>
        WriteAsync(requestId, request, context, async (session, db, access) =>
        {
            access.RequireAdmin();
            var row = await RequireProgrammeAsync(db, programmeId, lockRow: true);
            row.Status = (long)await transition(db, row);
            row.CancellationReason = cancellationReason;
            row.Revision++;
            row.UpdatedAt = NowMs;
            await ProgrammeQueries.UpdateStatusAsync(db, row);
            await coordinator.ProgrammeChangedAsync(session, row);
            return await LoadProgrammeAsync(db, row);
        });

    public override Task<Programme> AssignStaff(AssignStaffRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Id("person_id", request.PersonId)
            .Defined("role", request.Role).ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            access.RequireAdmin();
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            var person = await PeopleQueries.GetAsync(db, request.PersonId) ?? throw new NotFoundException("person", request.PersonId);
            ProgrammeLifecycle.EnsureOpen(programme.ProgrammeId, (ProgrammeState)programme.Status, "staff changes");
            var fits = (request.Role, (PersonKind)person.Kind) is (StaffRole.Instructor, PersonKind.Instructor) or (StaffRole.HealthExpert, PersonKind.HealthExpert);
            if (!fits)
            {
                var message = $"A {(PersonKind)person.Kind} cannot be assigned as {request.Role}.";
                throw new PreconditionException(Reasons.StaffKindMismatch, message,
                    [new PreconditionViolation(Reasons.StaffKindMismatch, $"people/{person.PersonId}", message)]);
            }
            await ProgrammeQueries.AssignAsync(db, programme.ProgrammeId, person.PersonId, (int)request.Role, NowMs);
            // The staff account is the programme's office's (its tokens say so).
            await accounts.PersonChangedAsync(session, person, active: true, NowMs, OfficeOf(programme));
            // Staff are reached for their programmes: notifications learns (again) how, with the person's current version.
            await notifications.ContactChangedAsync(session, person, CurrentYear);
            await ProgrammeQueries.TouchAsync(db, programme.ProgrammeId, NowMs);
            return await LoadProgrammeAsync(db, (await ProgrammeQueries.GetAsync(db, programme.ProgrammeId))!);
        });
    }

    public override Task<Programme> UnassignStaff(UnassignStaffRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Id("person_id", request.PersonId).ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            access.RequireAdmin();
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            var assignment = await ProgrammeQueries.AssignmentAsync(db, programme.ProgrammeId, request.PersonId);
            if (assignment is null)
            {
                var message = "The person is not assigned to this programme.";
                throw new PreconditionException(Reasons.StaffNotAssigned, message,
                    [new PreconditionViolation(Reasons.StaffNotAssigned, $"people/{request.PersonId}", message)]);
            }
            if ((ProgrammeState)programme.Status == ProgrammeState.Active && assignment.Role == (long)StaffRole.Instructor
                && await ProgrammeQueries.InstructorCountAsync(db, programme.ProgrammeId) <= 1)
            {
                var message = "An active programme keeps at least one instructor.";
                throw new PreconditionException(Reasons.LastInstructor, message,
                    [new PreconditionViolation(Reasons.LastInstructor, $"programmes/{programme.ProgrammeId}", message)]);
            }
            await ProgrammeQueries.UnassignAsync(db, programme.ProgrammeId, request.PersonId);
            // Unassigned from every programme: the staff account is disabled.
            if (await PeopleQueries.GetAsync(db, request.PersonId) is { } staff)
            {
                await accounts.PersonChangedAsync(session, staff, await Application.IdentityChanges.HasAssignmentAsync(db, staff.PersonId), NowMs);
            }
            await ProgrammeQueries.TouchAsync(db, programme.ProgrammeId, NowMs);
            return await LoadProgrammeAsync(db, (await ProgrammeQueries.GetAsync(db, programme.ProgrammeId))!);
        });
    }
}

using Bimtek.Data.Persistence;
using Bimtek.Participants.Api;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Participants.Application;

/// <summary>A programme as it is shown: its row, its staff and how many trainees are actively enrolled.</summary>
internal sealed record ProgrammeView(ProgrammeRow Row, IReadOnlyList<StaffRow> Staff, long EnrolledCount);

/// <summary>
/// Programmes and their staff, for operators of the programme's office. Each change locks the programme row, applies
/// <see cref="ProgrammeLifecycle"/> and <see cref="StaffRules"/>, and tells the coordinator the new snapshot (a status
/// change bumps the revision) through the outbox in the same transaction (<see cref="CoordinatorChanges"/>). Staff
/// assignments enable (or, from the last programme, disable) the staff account in identity with the programme's office
/// (<see cref="IdentityChanges"/>). Codes are unique (PROGRAMME_CODE_TAKEN; the unique index decides a race).
/// </summary>
internal sealed class Programmes(UnitOfWork work, CachedReads reads, CoordinatorChanges coordinator, IdentityChanges accounts,
    NotificationEvents notifications, TimeProvider time)
{
    public Task<TResponse> CreateAsync<TResponse>(Caller caller, CreateProgrammeRequest request, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
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
            var now = time.NowMs();
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
                StartDay = CalendarDays.ToText(request.StartDay!),
                EndDay = CalendarDays.ToText(request.EndDay!),
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
            await coordinator.ProgrammeChangedAsync(db, row);
            return respond(new ProgrammeView(row, [], 0));
        }, cancellationToken);

    /// <summary>A programme with its staff, from memory between writes (<see cref="CachedReads"/>).</summary>
    public async Task<ProgrammeView> GetAsync(string programmeId, CancellationToken cancellationToken)
    {
        var (row, staff, active) = await reads.ProgrammeWithStaffAsync(programmeId, cancellationToken);
        return new ProgrammeView(row ?? throw new NotFoundException("programme", programmeId), staff, active);
    }

    /// <summary>A page of programmes by status and district; office-scoped callers see their offices' only.</summary>
    public Task<(List<ProgrammeView> Programmes, string NextPageToken)> ListAsync(Caller caller, ListProgrammesRequest request, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var (rows, next) = ProgrammeQueries.Listing.Cut(
                await ProgrammeQueries.ListAsync(db, (int)request.Status, request.District, page, access.VisibleOffices()), page);
            var staff = (await ProgrammeQueries.StaffOfManyAsync(db, rows.Select(p => p.ProgrammeId).ToList())).ToLookup(s => s.ProgrammeId);
            var views = new List<ProgrammeView>(rows.Count);
            foreach (var row in rows)
            {
                views.Add(new ProgrammeView(row, [.. staff[row.ProgrammeId]], await ProgrammeQueries.ActiveEnrolmentsAsync(db, row.ProgrammeId)));
            }
            return (views, next);
        }, cancellationToken);

    public Task<TResponse> ActivateAsync<TResponse>(Caller caller, ActivateProgrammeRequest request, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        ChangeStatusAsync(caller, request.RequestId, request, request.ProgrammeId, "",
            async (db, row) => ProgrammeLifecycle.Activate(row.ProgrammeId, (ProgrammeState)row.Status, (int)await ProgrammeQueries.InstructorCountAsync(db, row.ProgrammeId)),
            respond, cancellationToken);

    public Task<TResponse> CompleteAsync<TResponse>(Caller caller, CompleteProgrammeRequest request, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        ChangeStatusAsync(caller, request.RequestId, request, request.ProgrammeId, "",
            (_, row) => Task.FromResult(ProgrammeLifecycle.Complete(row.ProgrammeId, (ProgrammeState)row.Status)), respond, cancellationToken);

    public Task<TResponse> CancelAsync<TResponse>(Caller caller, CancelProgrammeRequest request, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        ChangeStatusAsync(caller, request.RequestId, request, request.ProgrammeId, request.Reason,
            (_, row) => Task.FromResult(ProgrammeLifecycle.Cancel(row.ProgrammeId, (ProgrammeState)row.Status)), respond, cancellationToken);

    /// <summary>A lifecycle step: lock the programme, let the lifecycle decide, bump the revision, tell the coordinator.</summary>
    private Task<TResponse> ChangeStatusAsync<TResponse>(Caller caller, string requestId, IMessage request, string programmeId,
        string cancellationReason, Func<DbSession, ProgrammeRow, Task<ProgrammeState>> transition, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, requestId, request, async (db, access) =>
        {
            access.RequireAdmin();
            var row = await Lookups.RequireProgrammeAsync(db, programmeId, lockRow: true);
            row.Status = (long)await transition(db, row);
            row.CancellationReason = cancellationReason;
            row.Revision++;
            row.UpdatedAt = time.NowMs();
            await ProgrammeQueries.UpdateStatusAsync(db, row);
            await coordinator.ProgrammeChangedAsync(db, row);
            return respond(await ViewAsync(db, row));
        }, cancellationToken);

    public Task<TResponse> AssignStaffAsync<TResponse>(Caller caller, AssignStaffRequest request, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            access.RequireAdmin();
            var programme = await Lookups.RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            var person = await Lookups.RequirePersonAsync(db, request.PersonId);
            ProgrammeLifecycle.EnsureOpen(programme.ProgrammeId, (ProgrammeState)programme.Status, "staff changes");
            StaffRules.EnsureFits(person.PersonId, (PersonType)person.Kind, (StaffPosition)request.Role);
            await ProgrammeQueries.AssignAsync(db, programme.ProgrammeId, person.PersonId, (int)request.Role, time.NowMs());
            // The staff account is the programme's office's (its tokens say so).
            await accounts.PersonChangedAsync(db, person, active: true, time.NowMs(), work.OfficeOf(programme));
            // Staff are reached for their programmes: notifications learns (again) how, with the person's current version.
            await notifications.ContactChangedAsync(db, person, time.CurrentYear());
            return respond(await TouchedAsync(db, programme.ProgrammeId));
        }, cancellationToken);

    public Task<TResponse> UnassignStaffAsync<TResponse>(Caller caller, UnassignStaffRequest request, Func<ProgrammeView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            access.RequireAdmin();
            var programme = await Lookups.RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            var assignment = await ProgrammeQueries.AssignmentAsync(db, programme.ProgrammeId, request.PersonId);
            StaffRules.EnsureMayUnassign(programme.ProgrammeId, request.PersonId, (ProgrammeState)programme.Status,
                (StaffPosition?)assignment?.Role, await ProgrammeQueries.InstructorCountAsync(db, programme.ProgrammeId));
            await ProgrammeQueries.UnassignAsync(db, programme.ProgrammeId, request.PersonId);
            // Unassigned from every programme: the staff account is disabled.
            if (await PeopleQueries.GetAsync(db, request.PersonId) is { } staff)
            {
                await accounts.PersonChangedAsync(db, staff, await IdentityChanges.HasAssignmentAsync(db, staff.PersonId), time.NowMs());
            }
            return respond(await TouchedAsync(db, programme.ProgrammeId));
        }, cancellationToken);

    /// <summary>Marks the programme changed (its staff did) and answers it as it is now.</summary>
    private async Task<ProgrammeView> TouchedAsync(DbSession db, string programmeId)
    {
        await ProgrammeQueries.TouchAsync(db, programmeId, time.NowMs());
        return await ViewAsync(db, (await ProgrammeQueries.GetAsync(db, programmeId))!);
    }

    /// <summary>The programme with its staff and active enrolments.</summary>
    public static async Task<ProgrammeView> ViewAsync(DbSession db, ProgrammeRow row) =>
        new(row, await ProgrammeQueries.StaffAsync(db, row.ProgrammeId), await ProgrammeQueries.ActiveEnrolmentsAsync(db, row.ProgrammeId));
}

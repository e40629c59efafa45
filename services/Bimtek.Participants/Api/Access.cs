using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Participants.Api;

/// <summary>
/// Object-level access for one call. Operators (and integrators, the office's systems) act for
/// anyone in the programmes of their office (a province's operators also in its districts'; see
/// <see cref="OfficeScope"/>: requests that name a programme_id are checked before the handler by
/// <see cref="ProgrammeOfficeInterceptor"/>, records found by their own id here); instructors and
/// health experts for the programmes they are assigned to; a trainee only for themself. The
/// caller's person is found by the token's subject. Anything else is PERMISSION_DENIED, asked
/// before a record's existence is revealed.
/// </summary>
internal sealed class Access(Caller caller, DbSession db, OfficeScope offices)
{
    private PersonRow? _me;
    private bool _meLoaded;

    public Caller Caller => caller;

    public bool IsAdmin => caller.IsAny(Roles.Operator, Roles.Integrator);

    /// <summary>Who recorded something: the caller's person id, else the token subject.</summary>
    public async Task<string> ActorAsync() => (await MeAsync())?.PersonId ?? caller.Subject;

    public async Task<PersonRow?> MeAsync()
    {
        if (!_meLoaded)
        {
            _me = string.IsNullOrEmpty(caller.Subject) ? null : await PeopleQueries.BySubjectAsync(db, caller.Subject);
            _meLoaded = true;
        }
        return _me;
    }

    public async Task<bool> IsSelfAsync(string personId) => (await MeAsync())?.PersonId == personId;

    /// <summary>The caller is assigned to the programme (as instructor only when <paramref name="instructorOnly"/>).</summary>
    public async Task<bool> IsStaffOfAsync(string programmeId, bool instructorOnly = false)
    {
        if (!caller.IsAny(instructorOnly ? [Roles.Instructor] : [Roles.Instructor, Roles.HealthExpert]))
        {
            return false;
        }
        var me = await MeAsync();
        if (me is null)
        {
            return false;
        }
        var assignment = await ProgrammeQueries.AssignmentAsync(db, programmeId, me.PersonId);
        return assignment is not null && (!instructorOnly || assignment.Role == 1);
    }

    public void RequireAdmin()
    {
        if (!IsAdmin)
        {
            throw new PermissionDeniedException("Only operators may do this.");
        }
    }

    public void RequireAny(params string[] roles) => caller.Require(roles);

    /// <summary>The office the caller acts for: the caller's own, else the deployment's default office.</summary>
    public string Office => offices.Resolve(caller.Office);

    /// <summary>Whether the caller may act for a programme of <paramref name="office"/> as far as offices go.</summary>
    public bool Covers(string office) => !caller.IsOfficeScoped || offices.Covers(caller.Office, office);

    /// <summary>Offices whose programmes the caller lists ("" stands for the default office's unstamped ones); null: all.</summary>
    public IReadOnlyList<string>? VisibleOffices()
    {
        if (!caller.IsOfficeScoped)
        {
            return null;
        }
        var visible = offices.Visible(caller.Office);
        return visible.Contains(offices.DefaultOffice) ? [.. visible, ""] : visible;
    }

    /// <summary>
    /// Whether the caller's office covers the programme of a record found by its own id (always for callers that are not
    /// office-scoped). A record of another office's programme is answered as an unknown id (404), as in every service.
    /// </summary>
    public async Task<bool> CoversProgrammeAsync(string programmeId) =>
        !caller.IsOfficeScoped || (await ProgrammeQueries.OfficeAsync(db, programmeId) is { } office && offices.Covers(caller.Office, office));

    /// <summary>
    /// The rows of a list that the caller's office covers (each programme looked up once): a list by trainee or
    /// instructor leaves other offices' programmes' rows out, after the page is cut (its token still moves on).
    /// </summary>
    public async Task<List<T>> VisibleAsync<T>(IEnumerable<T> rows, Func<T, string> programmeOf)
    {
        var list = rows.ToList();
        if (!caller.IsOfficeScoped)
        {
            return list;
        }
        var covered = new Dictionary<string, bool>(StringComparer.Ordinal);
        var visible = new List<T>(list.Count);
        foreach (var row in list)
        {
            var programmeId = programmeOf(row);
            if (!covered.TryGetValue(programmeId, out var yes))
            {
                covered[programmeId] = yes = await CoversProgrammeAsync(programmeId);
            }
            if (yes)
            {
                visible.Add(row);
            }
        }
        return visible;
    }

    /// <summary>An operator or integrator of another office: PERMISSION_DENIED (a missing programme is left to the caller).</summary>
    public async Task RequireOfficeOfAsync(string programmeId)
    {
        if (caller.IsOfficeScoped && await ProgrammeQueries.OfficeAsync(db, programmeId) is { } office && !offices.Covers(caller.Office, office))
        {
            throw new PermissionDeniedException(ProgrammeOfficeCheck.RefusalMessage);
        }
    }

    public async Task RequireAdminOrInstructorOfAsync(string programmeId)
    {
        if (IsAdmin)
        {
            await RequireOfficeOfAsync(programmeId);
            return;
        }
        if (!await IsStaffOfAsync(programmeId, instructorOnly: true))
        {
            throw new PermissionDeniedException("Only operators and the programme's instructors may do this.");
        }
    }

    public async Task RequireAdminOrStaffOfAsync(string programmeId)
    {
        if (IsAdmin)
        {
            await RequireOfficeOfAsync(programmeId);
            return;
        }
        if (!await IsStaffOfAsync(programmeId))
        {
            throw new PermissionDeniedException("Only operators and the programme's staff may do this.");
        }
    }

    /// <summary>Operators, the programme's staff (instructors only if so asked), or the trainee themself.</summary>
    public async Task RequireForTraineeAsync(string programmeId, string traineeId, bool instructorsOnly)
    {
        if (IsAdmin)
        {
            await RequireOfficeOfAsync(programmeId);
            return;
        }
        if (await IsSelfAsync(traineeId) || await IsStaffOfAsync(programmeId, instructorsOnly))
        {
            return;
        }
        // The same answer as for an id that does not exist: a denial must not reveal that the record is there.
        throw Denied();
    }

    /// <summary>
    /// A record found by its own id, when its programme is of an office the caller's covers. Otherwise (no record, or
    /// another office's): NOT_FOUND to operators, who may learn that an id is unknown, and to everyone else the denial
    /// they get for a record they may not see, so the answer never tells that the record is there.
    /// </summary>
    public async Task<T> RequireVisibleAsync<T>(T? record, Func<T, string> programmeOf, string kind, string id)
        where T : class
    {
        if (record is null || !await CoversProgrammeAsync(programmeOf(record)))
        {
            throw IsAdmin ? new NotFoundException(kind, id) : Denied();
        }
        return record;
    }

    public static PermissionDeniedException Denied() => new();
}

using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.ServiceDefaults.Offices;

/// <summary>
/// Whether a caller may act for a programme as far as offices go: callers that are not office-scoped (other services'
/// relays, trainees and staff, whose own rules apply) always; operators and integrators when their office covers the
/// programme's (<see cref="OfficeScope"/>). A programme the service does not know counts as another office's where the
/// service only learns offices (<see cref="IProgrammeOffices.AnswersForUnknownProgrammes"/> false), so an unknown id
/// and another office's id get the same answer.
/// </summary>
public sealed class ProgrammeOfficeCheck(IProgrammeOffices programmes, OfficeScope scope)
{
    /// <summary>The one message of every office refusal (also for a programme that does not exist).</summary>
    public const string RefusalMessage = "The programme is not one of your office's.";

    /// <summary>True when the caller may act for <paramref name="programmeId"/>; an empty id (a record of no programme) is everyone's.</summary>
    public async ValueTask<bool> CoversAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        if (!caller.IsOfficeScoped || string.IsNullOrEmpty(programmeId))
        {
            return true;
        }
        var office = await programmes.OfficeOfAsync(programmeId, cancellationToken);
        return office is null ? programmes.AnswersForUnknownProgrammes : scope.Covers(caller.Office, office);
    }

    /// <summary>PERMISSION_DENIED (<see cref="RefusalMessage"/>) unless <see cref="CoversAsync"/>.</summary>
    public async ValueTask RequireAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        if (!await CoversAsync(caller, programmeId, cancellationToken))
        {
            throw new PermissionDeniedException(RefusalMessage);
        }
    }

    /// <summary>
    /// The rows of a list the caller may see: those of programmes the caller's office covers (each programme looked up
    /// once). A page may so hold fewer rows than asked for; its next-page token still moves on.
    /// </summary>
    public async Task<List<T>> VisibleAsync<T>(Caller caller, IEnumerable<T> rows, Func<T, string> programmeOf, CancellationToken cancellationToken)
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
                covered[programmeId] = yes = await CoversAsync(caller, programmeId, cancellationToken);
            }
            if (yes)
            {
                visible.Add(row);
            }
        }
        return visible;
    }
}

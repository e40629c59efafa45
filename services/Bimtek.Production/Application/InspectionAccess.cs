using Bimtek.Data.Persistence;
using Bimtek.Production.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Application;

/// <summary>
/// How every change to an existing inspection starts (a health expert's sign-off, a rework order): find the
/// inspection; an unknown id is NOT_FOUND to who may learn it (operators, services, instructors, health experts) and
/// PERMISSION_DENIED to anyone else, so nobody else can probe ids; then the office check of operators
/// (<see cref="ProgrammeDirectory.EnsureOfficeAsync"/>). Who the caller must be besides is the use case's own rule.
/// </summary>
internal sealed class InspectionAccess(Database database, ProgrammeDirectory directory)
{
    /// <summary>The inspection as it is now (read outside the change's transaction, which locks it again).</summary>
    public async Task<InspectionRow> FindForChangeAsync(Caller caller, string inspectionId, CancellationToken cancellationToken)
    {
        var inspection = await InspectionStore.FindAsync(database, inspectionId, cancellationToken);
        if (inspection is null)
        {
            throw caller.IsAny(Roles.Operator, Roles.Service, Roles.HealthExpert, Roles.Instructor)
                ? new NotFoundException("inspection", inspectionId)
                : new PermissionDeniedException();
        }
        await directory.EnsureOfficeAsync(caller, inspection.ProgrammeId, cancellationToken);
        return inspection;
    }
}

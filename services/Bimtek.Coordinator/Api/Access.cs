using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// Who may call what: effects (programme, enrolment, output and inspection changes) come only from other
/// services' relays; quota overrides and manual pace checks are operators'; progress is read by staff and
/// systems, and a trainee reads only their own record (checked against participants in
/// <see cref="QuotaGrpcService"/> through <see cref="Application.ITraineeDirectory"/>).
/// </summary>
internal static class Access
{
    /// <summary>Effects (<see cref="QuotaInternalGrpcService"/>): the relays of participants and production.</summary>
    public static readonly string[] EffectSenders = [Roles.Service];

    /// <summary>Quota overrides.</summary>
    public static readonly string[] QuotaEditors = [Roles.Operator];

    /// <summary>A pace evaluation asked for by hand or by a system.</summary>
    public static readonly string[] PaceEvaluators = [Roles.Operator, Roles.Service];

    /// <summary>Staff and systems that read every programme's progress.</summary>
    public static readonly string[] Readers = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Integrator, Roles.Service];
}

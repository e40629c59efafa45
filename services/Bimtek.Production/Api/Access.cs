using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Api;

/// <summary>
/// Who may call what. Object-level checks (a trainee reads only their own, staff only their programmes)
/// are <see cref="Application.ProgrammeDirectory.EnsureCanReadAsync"/>; this class holds the role sets.
/// </summary>
internal static class Access
{
    /// <summary>Output is reported by the trainee, their instructor, an operator or a relay.</summary>
    public static readonly string[] Reporters = [Roles.Trainee, Roles.Instructor, Roles.Operator, Roles.Service];

    /// <summary>Inspections and sign-offs: instructors and health experts of the programme, operators, relays.</summary>
    public static readonly string[] Inspectors = [Roles.Instructor, Roles.HealthExpert, Roles.Operator, Roles.Service];

    /// <summary>Photos are uploaded by the trainee (their own), the programme's instructors and health experts, operators, relays.</summary>
    public static readonly string[] PhotoUploaders = [Roles.Trainee, Roles.Instructor, Roles.HealthExpert, Roles.Operator, Roles.Service];

    /// <summary>Lesson videos are uploaded by operators (of the programme's office), the programme's instructors, relays.</summary>
    public static readonly string[] VideoUploaders = [Roles.Operator, Roles.Instructor, Roles.Service];

    /// <summary>Defect checklists are replaced by operators.</summary>
    public static readonly string[] ChecklistEditors = [Roles.Operator];

    /// <summary>
    /// Whether the caller may learn that an id does not exist (NOT_FOUND); anyone else gets PERMISSION_DENIED,
    /// so a trainee cannot probe other people's ids.
    /// </summary>
    public static bool MayLearnAbsence(Caller caller) => caller.IsPrivileged || caller.IsAny(Roles.Instructor, Roles.HealthExpert);
}

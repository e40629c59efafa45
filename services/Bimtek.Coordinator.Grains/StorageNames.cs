namespace Bimtek.Coordinator.Grains;

/// <summary>
/// The grain storage provider and the state names. Each grain type has its own state name: the
/// ADO.NET provider keys rows by state name and grain key, not grain type, so two types sharing a
/// name and a key would overwrite each other (dotnet/orleans#9737).
/// </summary>
public static class StorageNames
{
    public const string Provider = "quota";
    public const string ProgrammeState = "programme";
    public const string TraineeQuotaState = "trainee-quota";
    public const string PaceReminder = "daily-pace";
    public const string EventsReminder = "integrator-events";
}

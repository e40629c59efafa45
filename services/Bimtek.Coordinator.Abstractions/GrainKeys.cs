namespace Bimtek.Coordinator.Abstractions;

/// <summary>
/// Grain keys. Every key carries a non-numeric prefix so no key is ever all digits: the ADO.NET
/// provider can load the wrong state for all-digit string keys (dotnet/orleans#9706).
/// </summary>
public static class GrainKeys
{
    private const string ProgrammePrefix = "programme:";
    private const string TraineeInfix = "/trainee:";

    public static string Programme(string programmeId) => ProgrammePrefix + programmeId;

    public static string Trainee(string programmeId, string traineeId) => ProgrammePrefix + programmeId + TraineeInfix + traineeId;

    public static string ProgrammeIdOf(string programmeKey) =>
        programmeKey.StartsWith(ProgrammePrefix, StringComparison.Ordinal) ? programmeKey[ProgrammePrefix.Length..] : programmeKey;

    public static (string ProgrammeId, string TraineeId) ParseTrainee(string traineeKey)
    {
        var infix = traineeKey.LastIndexOf(TraineeInfix, StringComparison.Ordinal);
        if (!traineeKey.StartsWith(ProgrammePrefix, StringComparison.Ordinal) || infix < 0)
        {
            throw new ArgumentException($"Not a trainee quota key: '{traineeKey}'.", nameof(traineeKey));
        }
        return (traineeKey[ProgrammePrefix.Length..infix], traineeKey[(infix + TraineeInfix.Length)..]);
    }
}

namespace Bimtek.Scenarios.Scenarios;

/// <summary>The facts of one seed programme that a scenario run turns into calls.</summary>
public sealed record ProgrammeSpec(
    string CodePrefix,
    string Title,
    string ProductCode,
    IReadOnlyList<string> Organisers,
    DateOnly StartDay,
    DateOnly EndDay,
    int Capacity,
    int Target,
    IReadOnlyList<TraineeSpec> Trainees)
{
    public const string District = "Hulu Sungai Utara";
    public const string Province = "Kalimantan Selatan";
    public const string TimeZone = "Asia/Makassar";

    public IReadOnlyList<DateOnly> Days =>
        [.. Enumerable.Range(0, EndDay.DayNumber - StartDay.DayNumber + 1).Select(StartDay.AddDays)];
}

/// <summary>A trainee to register: name, birth year, village and (for minors) the guardian.</summary>
public sealed record TraineeSpec(string Name, int BirthYear, string Village, string? Guardian);

namespace Bimtek.Load.Setup;

/// <summary>What the seeder set up: programmes with enrolled trainees who hold their kits at home.</summary>
public sealed record World(
    string ProductCode,
    string ProductId,
    string InstructorId,
    string RecipientId,
    IReadOnlyList<SeededProgramme> Programmes)
{
    public int TraineeCount => Programmes.Sum(p => p.TraineeIds.Count);

    public IEnumerable<(SeededProgramme Programme, string TraineeId)> Trainees =>
        Programmes.SelectMany(p => p.TraineeIds.Select(t => (p, t)));
}

/// <summary>One seeded programme; reports may be made for any of its <see cref="Days"/>.</summary>
public sealed record SeededProgramme(
    string ProgrammeId,
    string Code,
    DateOnly StartDay,
    DateOnly EndDay,
    int QuotaPerTrainee,
    IReadOnlyList<string> TraineeIds,
    IReadOnlyList<string> LessonIds)
{
    public IReadOnlyList<DateOnly> Days =>
        [.. Enumerable.Range(0, EndDay.DayNumber - StartDay.DayNumber + 1).Select(StartDay.AddDays)];
}

using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Grains.State;

/// <summary>Persisted state of a trainee quota grain (state name <c>trainee-quota</c>).</summary>
[GenerateSerializer, Alias("bimtek.coordinator.TraineeQuotaState")]
public sealed class TraineeQuotaState
{
    /// <summary>True once the programme confirmed the trainee was enrolled (then never asked again).</summary>
    [Id(0)]
    public bool Known { get; set; }

    [Id(1)]
    public long Revision { get; set; }

    [Id(2)]
    public int Produced { get; set; }

    [Id(3)]
    public int Accepted { get; set; }

    [Id(4)]
    public int Rejected { get; set; }

    [Id(5)]
    public int AwaitingInspection { get; set; }

    [Id(6)]
    public int AwaitingSignOff { get; set; }

    [Id(7)]
    public Dictionary<DateOnly, DailyFigures> Days { get; set; } = [];

    [Id(8)]
    public AppliedRequests Applied { get; set; } = new();

    public TraineeCounters Counters => new(Revision, Produced, Accepted, Rejected, AwaitingInspection, AwaitingSignOff);
}

namespace Bimtek.Scenarios;

/// <summary>What a scenario run produced, as read back from the services at its end.</summary>
public sealed record ScenarioSummary(
    string Scenario,
    string ProgrammeId,
    string ProgrammeCode,
    string ProductCode,
    string ProductId,
    int Trainees,
    IReadOnlyList<string> TraineeIds,
    IReadOnlyList<int> Quotas,
    int UnitsAccepted,
    int UnitsHandedOver,
    string RecipientId,
    string RecipientName,
    string HandoverId,
    string DocumentNumber,
    int DocumentBytes)
{
    public override string ToString() =>
        $"""
        Scenario        : {Scenario}
        Programme       : {ProgrammeCode} ({ProgrammeId})
        Product         : {ProductCode}
        Trainees        : {Trainees}
        Quotas          : {string.Join(", ", Quotas)}
        Units accepted  : {UnitsAccepted}
        Units handed over: {UnitsHandedOver}
        Recipient       : {RecipientName} ({RecipientId})
        Document number : {DocumentNumber} (PDF, {DocumentBytes} bytes)
        """;
}

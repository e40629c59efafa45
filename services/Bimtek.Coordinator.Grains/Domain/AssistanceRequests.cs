namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>A trainee found behind schedule on a programme day.</summary>
public sealed record BehindScheduleNotice(
    string RequestId, string ProgrammeId, string TraineeId, DateOnly Day, int DoneUnits, int ExpectedUnits, int Quota);

/// <summary>
/// Asks participants to open an assistance request. The request id is derived from programme,
/// trainee and day, and participants deduplicates on it, so a repeated call opens nothing new.
/// </summary>
public interface IAssistanceRequestSender
{
    Task OpenBehindScheduleAsync(BehindScheduleNotice notice, CancellationToken cancellationToken);
}

public static class DeterministicIds
{
    /// <summary>A UUID (version 8, RFC 9562) derived from <paramref name="name"/>: the same name, the same id.</summary>
    public static string From(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}

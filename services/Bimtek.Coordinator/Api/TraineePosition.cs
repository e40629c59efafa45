using System.Globalization;
using Bimtek.Coordinator.Abstractions;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// A keyset position in a programme's trainee list (ordered by enrolment sequence, then trainee id):
/// the last trainee of a page, in the suite's opaque <see cref="PageToken"/>. Trainees enrolled
/// between two page requests come after it, so pages neither repeat nor skip anyone.
/// </summary>
internal readonly record struct TraineePosition(int Sequence, string TraineeId)
{
    public const string List = "coordinator.programme-trainees";

    /// <summary>Whether <paramref name="row"/> comes after this position.</summary>
    public bool IsBefore(TraineeRow row) =>
        row.Sequence > Sequence || (row.Sequence == Sequence && string.CompareOrdinal(row.TraineeId, TraineeId) > 0);

    /// <summary>The position a token carries; null for the first page; INVALID_ARGUMENT for anything else.</summary>
    public static TraineePosition? Read(string? token)
    {
        if (PageToken.Read(token, List, keyLength: 2) is not [var sequence, var traineeId])
        {
            return null;
        }
        return int.TryParse(sequence, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
            ? new TraineePosition(s, traineeId)
            : throw new ValidationException("page_token", "is not a page token returned by this list", ErrorReasons.InvalidPageToken);
    }

    public static string Token(TraineeRow last) =>
        PageToken.After(List, last.Sequence.ToString(CultureInfo.InvariantCulture), last.TraineeId);
}

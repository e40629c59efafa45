using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>
/// A programme's lessons and how progress on them adds up. Rules:
/// <list type="bullet">
/// <item>lessons are numbered 1, 2, 3…; a new lesson goes at the position asked (the later ones move up one), or last
/// when none (0) or one past the end is asked;</item>
/// <item>a report's furthest position is within the lesson's duration (INVALID_ARGUMENT, VALUE_OUT_OF_RANGE);</item>
/// <item>a percent over several lessons (and trainees) is the whole-number average of each lesson's percent, a lesson
/// without a report counting 0; nothing to average is 0 %.</item>
/// </list>
/// How one lesson's progress merges: <see cref="LessonProgressMerge"/>.
/// </summary>
public static class LessonRules
{
    /// <summary>The position a new lesson takes among <paramref name="existing"/> lessons when <paramref name="requested"/> is asked.</summary>
    public static long PositionFor(long requested, long existing) => requested == 0 || requested > existing ? existing + 1 : requested;

    /// <summary>Throws INVALID_ARGUMENT when a report's furthest position is past the lesson's end.</summary>
    public static void EnsureWithinDuration(int furthestPositionSeconds, long durationSeconds)
    {
        if (furthestPositionSeconds > durationSeconds)
        {
            throw new ValidationException("furthest_position_seconds", $"must not exceed the lesson's duration ({durationSeconds} s)", ErrorReasons.ValueOutOfRange);
        }
    }

    /// <summary>The average percent of <paramref name="lessons"/> lessons for <paramref name="trainees"/> trainees whose percents sum to <paramref name="percentSum"/>.</summary>
    public static int AveragePercent(long percentSum, long lessons, long trainees = 1) =>
        lessons == 0 || trainees == 0 ? 0 : (int)(percentSum / (lessons * trainees));
}

using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Tests;

/// <summary>Lesson positions and progress averages (Domain/LessonRules.cs), without a host.</summary>
public sealed class LessonRulesTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(0, 4, 5)]
    [InlineData(5, 4, 5)]
    [InlineData(9, 4, 5)]
    [InlineData(1, 4, 1)]
    [InlineData(4, 4, 4)]
    public void A_new_lesson_goes_where_asked_or_last(long requested, long existing, long position) =>
        Assert.Equal(position, LessonRules.PositionFor(requested, existing));

    [Fact]
    public void A_report_stays_within_the_lesson()
    {
        LessonRules.EnsureWithinDuration(600, 600);
        var refused = Assert.Throws<ValidationException>(() => LessonRules.EnsureWithinDuration(601, 600));
        Assert.Equal("furthest_position_seconds", refused.Violations.Single().Field);
        Assert.Equal(ErrorReasons.ValueOutOfRange, refused.Reason);
    }

    [Fact]
    public void Averages_are_whole_percents_and_nothing_averages_to_zero()
    {
        Assert.Equal(0, LessonRules.AveragePercent(0, 0));
        Assert.Equal(0, LessonRules.AveragePercent(300, 3, trainees: 0));
        Assert.Equal(33, LessonRules.AveragePercent(100, 3));
        Assert.Equal(50, LessonRules.AveragePercent(600, 3, trainees: 4));
        Assert.Equal(100, LessonRules.AveragePercent(300, 3));
    }
}

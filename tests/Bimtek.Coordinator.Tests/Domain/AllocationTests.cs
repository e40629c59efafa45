using Bimtek.Coordinator.Grains.Domain;

namespace Bimtek.Coordinator.Tests.Domain;

public sealed class AllocationTests
{
    private static List<AllocationMember> Active(int count) =>
        Enumerable.Range(1, count).Select(i => new AllocationMember($"t{i}", i, false, 0, null)).ToList();

    private static int[] Quotas(int target, List<AllocationMember> members)
    {
        var result = Allocation.Allocate(target, members);
        return members.OrderBy(m => m.Sequence).Select(m => result[m.TraineeId].Quota).ToArray();
    }

    [Fact]
    public void Sixty_over_seven_gives_the_remainder_to_the_earliest() =>
        Assert.Equal([9, 9, 9, 9, 8, 8, 8], Quotas(60, Active(7)));

    [Fact]
    public void Five_hundred_over_five_is_even() => Assert.Equal([100, 100, 100, 100, 100], Quotas(500, Active(5)));

    [Fact]
    public void A_withdrawn_trainee_keeps_accepted_units_and_the_rest_is_respread()
    {
        var members = Active(5);
        members[2] = members[2] with { Withdrawn = true, Accepted = 42 };
        // 500 - 42 = 458 over 4 → 115, 115, 114, 114 in enrolment order.
        Assert.Equal([115, 115, 42, 114, 114], Quotas(500, members));
    }

    [Fact]
    public void An_override_is_absorbed_by_the_others_and_survives_a_new_enrolment()
    {
        var members = Active(7);
        members[6] = members[6] with { Override = 20 };
        Assert.Equal([7, 7, 7, 7, 6, 6, 20], Quotas(60, members));
        members.Add(new AllocationMember("t8", 8, false, 0, null));
        Assert.Equal([6, 6, 6, 6, 6, 5, 20, 5], Quotas(60, members));
    }

    [Fact]
    public void Overrides_that_no_longer_fit_are_suspended_so_the_sum_stays_the_target()
    {
        var members = new List<AllocationMember>
        {
            new("a", 1, false, 0, 10),
            new("b", 2, true, 3, null),
        };
        var result = Allocation.Allocate(60, members);
        Assert.Equal(57, result["a"].Quota);
        Assert.False(result["a"].Overridden);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Overrides_outside_zero_to_target_are_refused(int quota) =>
        Assert.NotNull(Allocation.CheckOverride(60, Active(3), "t1", quota));

    [Fact]
    public void An_override_nobody_can_absorb_is_refused()
    {
        var members = Active(2);
        members[1] = members[1] with { Override = 50 };
        Assert.NotNull(Allocation.CheckOverride(60, members, "t1", 20));
        Assert.Null(Allocation.CheckOverride(60, members, "t1", 10));
    }

    [Fact]
    public void The_sum_of_quotas_always_equals_the_target()
    {
        var random = new Random(7);
        for (var round = 0; round < 2000; round++)
        {
            var target = random.Next(1, 2000);
            var members = Enumerable.Range(1, random.Next(1, 30)).Select(i => new AllocationMember(
                $"t{i}", i, random.Next(5) == 0, random.Next(0, 50), random.Next(6) == 0 ? random.Next(0, target / 3 + 1) : null)).ToList();
            if (members.All(m => m.Withdrawn))
            {
                members[0] = members[0] with { Withdrawn = false };
            }
            var result = Allocation.Allocate(target, members);
            Assert.Equal(target, result.Values.Sum(q => q.Quota));
            Assert.All(result.Values, q => Assert.True(q.Quota >= 0));
        }
    }

    [Fact]
    public void Pace_is_ceil_of_quota_times_elapsed_over_days()
    {
        var programme = new Bimtek.Coordinator.Abstractions.ProgrammeInfo(1, "P", 60, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 30), "Asia/Makassar", Bimtek.Coordinator.Abstractions.ProgrammePhase.Active);
        Assert.Equal(0, Pace.Expected(9, programme, new DateOnly(2026, 2, 28)));
        Assert.Equal(1, Pace.Expected(9, programme, new DateOnly(2026, 3, 1)));
        Assert.Equal(3, Pace.Expected(9, programme, new DateOnly(2026, 3, 10)));
        Assert.Equal(9, Pace.Expected(9, programme, new DateOnly(2026, 4, 10)));
    }
}

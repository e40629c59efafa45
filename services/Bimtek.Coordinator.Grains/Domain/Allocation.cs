namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>A trainee as the allocation sees them, in enrolment order.</summary>
public sealed record AllocationMember(string TraineeId, int Sequence, bool Withdrawn, int Accepted, int? Override);

/// <summary>A trainee's allocated quota.</summary>
public readonly record struct AllocatedQuota(int Quota, bool Overridden);

/// <summary>
/// Splits a programme's target across its trainees. Rules:
/// <list type="bullet">
/// <item>A withdrawn trainee keeps what they had accepted (their quota is frozen at their accepted
/// units, capped by what is left of the target); the rest of the target is spread over the others.</item>
/// <item>An active trainee with an override gets exactly the override.</item>
/// <item>The remainder is split evenly over the active trainees without an override, in enrolment
/// order; the first <c>remainder % n</c> get one more (60 over 7 → 9, 9, 9, 9, 8, 8, 8).</item>
/// <item>If the overrides no longer fit (a later withdrawal left nobody to absorb them, or accepted
/// units of withdrawn trainees grew), they are suspended and everyone active shares evenly, so
/// the sum of quotas still equals the target.</item>
/// </list>
/// The sum of all quotas equals the target whenever at least one trainee is active.
/// </summary>
public static class Allocation
{
    public static IReadOnlyDictionary<string, AllocatedQuota> Allocate(int target, IReadOnlyList<AllocationMember> members)
    {
        var ordered = members.OrderBy(m => m.Sequence).ThenBy(m => m.TraineeId, StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, AllocatedQuota>(StringComparer.Ordinal);
        var left = target;
        foreach (var member in ordered.Where(m => m.Withdrawn))
        {
            var kept = Math.Clamp(member.Accepted, 0, left);
            result[member.TraineeId] = new AllocatedQuota(kept, false);
            left -= kept;
        }

        var active = ordered.Where(m => !m.Withdrawn).ToList();
        if (active.Count == 0)
        {
            return result;
        }
        var overridden = active.Where(m => m.Override is not null).ToList();
        var free = active.Where(m => m.Override is null).ToList();
        var overrideSum = overridden.Sum(m => (long)m.Override!.Value);
        var fits = free.Count == 0 ? overrideSum == left : overrideSum <= left;
        if (!fits)
        {
            free = active;
            overridden = [];
            overrideSum = 0;
        }
        foreach (var member in overridden)
        {
            result[member.TraineeId] = new AllocatedQuota(member.Override!.Value, true);
        }
        var shares = Spread((int)(left - overrideSum), free.Count);
        for (var i = 0; i < free.Count; i++)
        {
            result[free[i].TraineeId] = new AllocatedQuota(shares[i], false);
        }
        return result;
    }

    /// <summary>Splits <paramref name="total"/> in <paramref name="count"/> shares, remainder to the first.</summary>
    public static int[] Spread(int total, int count)
    {
        if (count == 0)
        {
            return [];
        }
        var shares = new int[count];
        var each = total / count;
        var remainder = total % count;
        for (var i = 0; i < count; i++)
        {
            shares[i] = each + (i < remainder ? 1 : 0);
        }
        return shares;
    }

    /// <summary>
    /// Why an override of <paramref name="traineeId"/> to <paramref name="quota"/> cannot be honoured,
    /// or null when the other active trainees can absorb it.
    /// </summary>
    public static string? CheckOverride(int target, IReadOnlyList<AllocationMember> members, string traineeId, int quota)
    {
        if (quota < 0 || quota > target)
        {
            return "The quota must be between 0 and the programme's target.";
        }
        var withOverride = members
            .Select(m => m.TraineeId == traineeId ? m with { Override = quota } : m)
            .ToList();
        var left = target;
        foreach (var member in withOverride.Where(m => m.Withdrawn).OrderBy(m => m.Sequence))
        {
            left -= Math.Clamp(member.Accepted, 0, left);
        }
        var active = withOverride.Where(m => !m.Withdrawn).ToList();
        var overrideSum = active.Where(m => m.Override is not null).Sum(m => (long)m.Override!.Value);
        var freeCount = active.Count(m => m.Override is null);
        if (overrideSum > left)
        {
            return $"The overrides add up to {overrideSum} units but only {left} are left to allocate.";
        }
        if (freeCount == 0 && overrideSum != left)
        {
            return $"No trainee without an override is left to absorb the remaining {left - overrideSum} units.";
        }
        return null;
    }
}

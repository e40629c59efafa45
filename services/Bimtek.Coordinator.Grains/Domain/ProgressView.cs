using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.State;

namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>
/// A programme's progress built from its state and its trainees' counters, without I/O. Rules:
/// <list type="bullet">
/// <item>Each trainee counts once, with the status of their latest enrolment, in enrolment order.</item>
/// <item>Quotas come from <see cref="Allocation"/>; a withdrawn trainee is expected to make nothing more
/// and is never behind.</item>
/// <item>A trainee behind on the day shows since when (the spell kept by the pace check).</item>
/// <item>The programme's totals are the sums of its trainees'; the trainee count leaves out the withdrawn.</item>
/// </list>
/// </summary>
public static class ProgressView
{
    /// <summary>The programme's progress on <paramref name="day"/>; with <paramref name="onlyTrainee"/>, that trainee's row only.</summary>
    public static ProgrammeProgressView Build(
        string programmeId, ProgrammeState state, IReadOnlyDictionary<string, TraineeCounters> counters, PaceOptions pace,
        DateOnly day, DateTime updatedAt, string? onlyTrainee = null)
    {
        var info = state.Info ?? throw new InvalidOperationException("A programme without its snapshot has no progress.");
        var rows = Rows(state, counters, pace, day);
        var summary = new ProgrammeSummary(
            programmeId, info,
            TraineeCount: rows.Count(r => !r.Withdrawn),
            Produced: rows.Sum(r => r.Counters.Produced),
            Accepted: rows.Sum(r => r.Counters.Accepted),
            Rejected: rows.Sum(r => r.Counters.Rejected),
            AwaitingInspection: rows.Sum(r => r.Counters.AwaitingInspection),
            AwaitingSignOff: rows.Sum(r => r.Counters.AwaitingSignOff),
            ExpectedByDay: Pace.Expected(info.TargetQuantity, info, day),
            PercentAccepted: Pace.PercentOf(rows.Sum(r => r.Counters.Accepted), info.TargetQuantity),
            BehindScheduleCount: rows.Count(r => r.BehindSchedule),
            AsOfDay: day,
            UpdatedAt: updatedAt);
        return new ProgrammeProgressView(summary, onlyTrainee is null ? rows : rows.Where(r => r.TraineeId == onlyTrainee).ToList());
    }

    /// <summary>Each trainee's row on <paramref name="day"/>, in enrolment order.</summary>
    public static List<TraineeRow> Rows(ProgrammeState state, IReadOnlyDictionary<string, TraineeCounters> counters, PaceOptions pace, DateOnly day)
    {
        var info = state.Info ?? throw new InvalidOperationException("A programme without its snapshot has no progress.");
        var members = Members(state, counters);
        var quotas = Allocation.Allocate(info.TargetQuantity, members);
        return members.Select(m =>
        {
            var quota = quotas.GetValueOrDefault(m.TraineeId);
            var done = counters.GetValueOrDefault(m.TraineeId) ?? TraineeCounters.Zero;
            var expected = m.Withdrawn ? 0 : Pace.Expected(quota.Quota, info, day);
            var behind = !m.Withdrawn && Pace.IsBehind(quota.Quota, expected, done.Done, pace);
            var since = behind ? state.Pace.GetValueOrDefault(m.TraineeId)?.BehindSince : null;
            return new TraineeRow(m.TraineeId, m.Sequence, m.Withdrawn, quota.Quota, quota.Overridden, done,
                expected, Pace.PercentOf(done.Accepted, quota.Quota), behind, since);
        }).ToList();
    }

    /// <summary>Each trainee once, with the status of their latest enrolment, in enrolment order.</summary>
    public static List<AllocationMember> Members(ProgrammeState state, IReadOnlyDictionary<string, TraineeCounters> counters) =>
        state.Enrolments.Values
            .GroupBy(e => e.TraineeId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(e => e.Sequence).First())
            .OrderBy(e => e.Sequence)
            .Select(e => new AllocationMember(
                e.TraineeId, e.Sequence, e.Withdrawn,
                counters.GetValueOrDefault(e.TraineeId)?.Accepted ?? 0,
                state.Overrides.TryGetValue(e.TraineeId, out var o) ? o.Quota : null))
            .ToList();
}

namespace Bimtek.Production.Domain;

/// <summary>How many units an inspection takes from one report, and how they split.</summary>
internal sealed record ReportShare(string ReportId, int Units, int Passed, int Rejected);

/// <summary>What an inspection decides for the units it passed.</summary>
internal sealed record InspectionOutcome(int Accepted, int AwaitingSignOff, bool SignedOffByInspector)
{
    /// <summary>
    /// Units passed on a medical product count as accepted only with a health expert's word: an
    /// instructor's pass leaves them awaiting sign-off; a health expert's own inspection is the sign-off.
    /// </summary>
    public static InspectionOutcome Decide(bool medical, bool inspectorIsHealthExpert, int passed) =>
        !medical ? new InspectionOutcome(passed, 0, false)
        : inspectorIsHealthExpert ? new InspectionOutcome(passed, 0, true)
        : new InspectionOutcome(0, passed, false);
}

/// <summary>Plain allocation rules of inspections and sign-offs (oldest report first).</summary>
internal static class UnitAllocation
{
    /// <summary>
    /// Takes <paramref name="passed"/> + <paramref name="rejected"/> units from the reports in the
    /// given order (oldest first), the passed units first. Throws when the reports hold fewer.
    /// </summary>
    public static IReadOnlyList<ReportShare> Inspect(IReadOnlyList<(string ReportId, int Remaining)> reports, int passed, int rejected)
    {
        var total = passed + rejected;
        if (reports.Sum(r => r.Remaining) < total)
        {
            throw new InvalidOperationException("More units than the reports hold.");
        }
        var shares = new List<ReportShare>();
        var passedLeft = passed;
        var rejectedLeft = rejected;
        foreach (var (reportId, remaining) in reports)
        {
            if (passedLeft + rejectedLeft == 0)
            {
                break;
            }
            var take = Math.Min(remaining, passedLeft + rejectedLeft);
            if (take == 0)
            {
                continue;
            }
            var p = Math.Min(take, passedLeft);
            var r = take - p;
            passedLeft -= p;
            rejectedLeft -= r;
            shares.Add(new ReportShare(reportId, take, p, r));
        }
        return shares;
    }

    /// <summary>Splits a sign-off's accepted units over the awaiting units of each report (in order); the rest are rejected.</summary>
    public static IReadOnlyList<(string ReportId, int Accepted, int Rejected)> SignOff(IReadOnlyList<(string ReportId, int Awaiting)> reports, int accepted)
    {
        var left = accepted;
        var result = new List<(string, int, int)>();
        foreach (var (reportId, awaiting) in reports)
        {
            var a = Math.Min(awaiting, left);
            left -= a;
            result.Add((reportId, a, awaiting - a));
        }
        return result;
    }
}

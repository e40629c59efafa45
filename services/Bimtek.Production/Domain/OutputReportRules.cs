using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Domain;

/// <summary>Why an output report is refused before anything is stored (a reason code of <see cref="Reasons"/>).</summary>
internal sealed record ReportRefusal(string Reason, string Message, string Subject, string Description);

/// <summary>What participants said about the programme and trainee, as the rules need it.</summary>
internal sealed record ProgrammeTerms(
    bool Active, string Status, bool TraineeEnrolled, string ProductCode, DateOnly StartDay, DateOnly EndDay, DateOnly Today);

/// <summary>The rules an output report must pass before it is stored.</summary>
internal static class OutputReportRules
{
    /// <summary>
    /// In this order, the first that fails refuses the report: the programme is active; the trainee is
    /// actively enrolled in it; the product is the programme's product; the day is a programme day
    /// (start to end, inclusive); the day is not after today in the programme's time zone.
    /// </summary>
    public static ReportRefusal? Check(ProgrammeTerms terms, string programmeId, string traineeId, string productCode, DateOnly day)
    {
        if (!terms.Active)
        {
            return new ReportRefusal(Reasons.ProgrammeNotActive, "The programme is not active.", programmeId, $"status is {terms.Status}");
        }
        if (!terms.TraineeEnrolled)
        {
            return new ReportRefusal(Reasons.NotEnrolled, "The trainee is not actively enrolled in the programme.", traineeId, "not actively enrolled");
        }
        if (!string.Equals(terms.ProductCode, productCode, StringComparison.Ordinal))
        {
            return new ReportRefusal(Reasons.ProductMismatch, $"The programme makes '{terms.ProductCode}', not '{productCode}'.",
                productCode, $"the programme's product is {terms.ProductCode}");
        }
        if (day < terms.StartDay || day > terms.EndDay)
        {
            return new ReportRefusal(Reasons.DayOutsideProgramme,
                $"{CalendarDays.ToText(day)} is not a programme day ({CalendarDays.ToText(terms.StartDay)} to {CalendarDays.ToText(terms.EndDay)}).",
                "day", $"programme days are {CalendarDays.ToText(terms.StartDay)} to {CalendarDays.ToText(terms.EndDay)}");
        }
        if (day > terms.Today)
        {
            return new ReportRefusal(Reasons.DayInFuture, "Output cannot be reported for a day that has not come yet.", "", "");
        }
        return null;
    }
}

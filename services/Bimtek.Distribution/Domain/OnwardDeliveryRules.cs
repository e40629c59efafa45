using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Distribution.Domain;

/// <summary>
/// What an onward delivery (goods a recipient passed on to households) may say about where its goods came from. One
/// recorded from a handover names that handover's programme and product or leaves them empty, and is not dated before the
/// handover; one recorded from the recipient's holding is not dated before the recipient's first handover of those goods
/// (cancelled ones left out). A refusal is INVALID_ARGUMENT naming the field. How many units may be passed on:
/// <see cref="GoodsBounds"/>; from a cancelled handover none: <see cref="HandoverLifecycle.EnsureMayPassOn"/>.
/// </summary>
public static class OnwardDeliveryRules
{
    public static void EnsureMatchesHandover(string programmeId, string productCode, DateOnly day,
        string handoverProgrammeId, string handoverProductCode, DateOnly handoverDay) =>
        new RequestValidator()
            .When(programmeId.Length > 0 && programmeId != handoverProgrammeId, "programme_id", "must be empty or the handover's programme")
            .When(productCode.Length > 0 && productCode != handoverProductCode, "product_code", "must be empty or the handover's product")
            .When(day < handoverDay, "day", $"must not be before the handover day {CalendarDays.ToText(handoverDay)}")
            .ThrowIfInvalid();

    /// <summary><paramref name="firstHandoverDay"/>: null when the recipient has no handover of these goods (the holding's bound then refuses).</summary>
    public static void EnsureNotBeforeFirstHandover(DateOnly day, DateOnly? firstHandoverDay)
    {
        if (firstHandoverDay is { } first && day < first)
        {
            throw new ValidationException("day", $"must not be before the first handover of the goods ({CalendarDays.ToText(first)})");
        }
    }
}

namespace Bimtek.Distribution.Domain;

/// <summary>
/// The identity subjects who act for a recipient (its users, role recipient): each named once, without surrounding
/// spaces, in ordinal order, so the same list given twice is stored, answered and sent to identity the same way.
/// </summary>
public static class RecipientUsers
{
    public static List<string> Normalise(IEnumerable<string> subjects) =>
        [.. subjects.Select(s => s.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

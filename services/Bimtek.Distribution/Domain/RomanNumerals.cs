using System.Text;

namespace Bimtek.Distribution.Domain;

/// <summary>Roman numerals, as Indonesian official letters write the month of a document number (Mei → V).</summary>
public static class RomanNumerals
{
    private static readonly (int Value, string Symbol)[] _symbols =
    [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ];

    public static string From(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 3999);
        var text = new StringBuilder();
        foreach (var (symbolValue, symbol) in _symbols)
        {
            while (value >= symbolValue)
            {
                text.Append(symbol);
                value -= symbolValue;
            }
        }
        return text.ToString();
    }
}

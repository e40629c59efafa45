using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bimtek.Distribution.Domain;

/// <summary>
/// The configurable shape of a handover document number (<c>Distribution:DocumentNumberFormat</c>),
/// e.g. <c>{number:000}/BAST/{office}/{monthRoman}/{year}</c> → <c>001/BAST/DISPERINDAGKOP-HSU/V/2020</c>.
/// Placeholders: <c>{number}</c> (required; optional .NET numeric format such as <c>:000</c>),
/// <c>{office}</c>, <c>{monthRoman}</c>, <c>{month}</c> (optional format such as <c>:00</c>) and
/// <c>{year}</c>. Parsed once at start-up so a typo fails the host, not the first handover.
/// </summary>
public sealed partial class DocumentNumberFormat
{
    public const string Default = "{number:000}/BAST/{office}/{monthRoman}/{year}";

    private readonly IReadOnlyList<Part> _parts;

    private DocumentNumberFormat(IReadOnlyList<Part> parts) => _parts = parts;

    public static DocumentNumberFormat Parse(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new FormatException("Distribution:DocumentNumberFormat is empty.");
        }
        var parts = new List<Part>();
        var position = 0;
        foreach (Match match in Placeholder().Matches(pattern))
        {
            if (match.Index > position)
            {
                parts.Add(Literal(pattern[position..match.Index]));
            }
            var name = match.Groups["name"].Value;
            var format = match.Groups["format"].Success ? match.Groups["format"].Value : null;
            if (name is not ("number" or "office" or "monthRoman" or "month" or "year"))
            {
                throw new FormatException(
                    $"Distribution:DocumentNumberFormat '{pattern}' has an unknown placeholder '{{{name}}}'; use {{number}}, {{office}}, {{monthRoman}}, {{month}} or {{year}}.");
            }
            if (format is not null && name is not ("number" or "month"))
            {
                throw new FormatException($"Distribution:DocumentNumberFormat: placeholder '{{{name}}}' takes no format.");
            }
            if (format is not null)
            {
                // A bad numeric format throws here, at start-up.
                _ = 1.ToString(format, CultureInfo.InvariantCulture);
            }
            parts.Add(new Part(null, name, format));
            position = match.Index + match.Length;
        }
        if (position < pattern.Length)
        {
            parts.Add(Literal(pattern[position..]));
        }
        if (parts.Any(p => p.Literal is not null && (p.Literal.Contains('{') || p.Literal.Contains('}'))))
        {
            throw new FormatException($"Distribution:DocumentNumberFormat '{pattern}' has an unbalanced brace.");
        }
        if (!parts.Any(p => p.Name == "number"))
        {
            throw new FormatException($"Distribution:DocumentNumberFormat '{pattern}' must contain {{number}}, or numbers would repeat.");
        }
        return new DocumentNumberFormat(parts);
    }

    /// <summary>The document number for the <paramref name="number"/>-th handover of the office in the day's year.</summary>
    public string Format(long number, string office, DateOnly day)
    {
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part switch
            {
                { Literal: { } literal } => literal,
                { Name: "number" } => number.ToString(part.Format ?? "0", CultureInfo.InvariantCulture),
                { Name: "office" } => office,
                { Name: "monthRoman" } => RomanNumerals.From(day.Month),
                { Name: "month" } => day.Month.ToString(part.Format ?? "0", CultureInfo.InvariantCulture),
                _ => day.Year.ToString("0000", CultureInfo.InvariantCulture),
            });
        }
        return text.ToString();
    }

    private static Part Literal(string text) => new(text, null, null);

    private sealed record Part(string? Literal, string? Name, string? Format);

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(?::(?<format>[^{}]*))?\}")]
    private static partial Regex Placeholder();
}

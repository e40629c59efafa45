namespace Bimtek.Distribution.Domain;

/// <summary>
/// Indonesian wording for official documents: day and month names and numbers in words
/// (<i>terbilang</i>). Written out rather than taken from the <c>id-ID</c> culture, which a
/// container without full ICU data does not have.
/// </summary>
public static class IndonesianText
{
    private static readonly string[] _days = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];

    private static readonly string[] _months =
        ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

    private static readonly string[] _ones =
        ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"];

    public static string DayName(DayOfWeek day) => _days[(int)day];

    public static string MonthName(int month) => _months[month - 1];

    /// <summary>"28 Mei 2020".</summary>
    public static string LongDate(DateOnly day) => $"{day.Day} {MonthName(day.Month)} {day.Year}";

    /// <summary>Number in words: 500 → "lima ratus", 1250 → "seribu dua ratus lima puluh".</summary>
    public static string InWords(long number)
    {
        if (number == 0)
        {
            return "nol";
        }
        if (number < 0)
        {
            return "minus " + InWords(-number);
        }
        return Words(number).Trim();
    }

    private static string Words(long n) => n switch
    {
        0 => "",
        < 12 => " " + _ones[n],
        < 20 => Words(n - 10) + " belas",
        < 100 => Words(n / 10) + " puluh" + Words(n % 10),
        < 200 => " seratus" + Words(n - 100),
        < 1_000 => Words(n / 100) + " ratus" + Words(n % 100),
        < 2_000 => " seribu" + Words(n - 1_000),
        < 1_000_000 => Words(n / 1_000) + " ribu" + Words(n % 1_000),
        < 1_000_000_000 => Words(n / 1_000_000) + " juta" + Words(n % 1_000_000),
        < 1_000_000_000_000 => Words(n / 1_000_000_000) + " miliar" + Words(n % 1_000_000_000),
        _ => Words(n / 1_000_000_000_000) + " triliun" + Words(n % 1_000_000_000_000),
    };
}

using PhoneNumbers;

namespace Bimtek.Notifications.Domain;

/// <summary>
/// Phone numbers are stored in E.164 (<c>+6281234567890</c>). Rule: a number written without a country code is
/// Indonesian (<c>0812-3456-7890</c>); a number libphonenumber does not consider valid is refused — no regex.
/// </summary>
public static class PhoneNumberRules
{
    public const string DefaultRegion = "ID";

    private static readonly PhoneNumberUtil _util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form, or null when <paramref name="raw"/> is not a valid phone number.</summary>
    public static string? ToE164(string? raw, string region = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        try
        {
            var number = _util.Parse(raw, region);
            return _util.IsValidNumber(number) ? _util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}

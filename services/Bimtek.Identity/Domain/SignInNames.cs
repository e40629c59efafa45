namespace Bimtek.Identity.Domain;

/// <summary>What a person types as their sign-in name: an e-mail address, a phone number, or their account name.</summary>
public static class SignInNames
{
    public enum Kind
    {
        Email,
        Phone,
        UserName,
    }

    public static (Kind Kind, string Value) Parse(string? typed)
    {
        var value = (typed ?? "").Trim();
        if (value.Contains('@', StringComparison.Ordinal))
        {
            return (Kind.Email, value.ToUpperInvariant());
        }
        var phone = NormalisePhone(value);
        return phone.Length > 0 ? (Kind.Phone, phone) : (Kind.UserName, value);
    }

    /// <summary>
    /// Indonesian numbers in one spelling: <c>0812-3456-7890</c>, <c>+62 812 3456 7890</c> and
    /// <c>6281234567890</c> all become <c>+6281234567890</c>. Empty when the text is not a phone number.
    /// </summary>
    public static string NormalisePhone(string? typed)
    {
        var text = (typed ?? "").Trim();
        if (text.Length == 0 || text.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '+' or '(' or ')' or '.')))
        {
            return "";
        }
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 8 || digits.Length > 15)
        {
            return "";
        }
        if (digits.StartsWith('0'))
        {
            digits = "62" + digits[1..];
        }
        return "+" + digits;
    }
}

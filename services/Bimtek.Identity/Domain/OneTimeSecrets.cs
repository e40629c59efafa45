using System.Security.Cryptography;
using System.Text;

namespace Bimtek.Identity.Domain;

/// <summary>
/// The secrets this service hands out once: trainees' sign-in codes (8 digits, typed on a phone)
/// and invitation tokens (256 bits, in a link). Only their SHA-256 is stored; codes are further
/// protected by their short life, single use and the attempt limits (10^8 codes, a handful of
/// tries per person and address in each window).
/// </summary>
public static class OneTimeSecrets
{
    public const int CodeDigits = 8;

    /// <summary>A uniformly random 8-digit code, grouped for reading aloud: <c>4827-1936</c>.</summary>
    public static string NewCode()
    {
        var value = RandomNumberGenerator.GetInt32(0, 100_000_000);
        var digits = value.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        return digits[..4] + "-" + digits[4..];
    }

    /// <summary>The digits of a typed code (spaces and dashes dropped); empty when it is not 8 digits.</summary>
    public static string NormaliseCode(string? typed)
    {
        var digits = new string((typed ?? "").Where(char.IsAsciiDigit).ToArray());
        var stray = (typed ?? "").Any(c => !char.IsAsciiDigit(c) && c != '-' && c != ' ');
        return digits.Length == CodeDigits && !stray ? digits : "";
    }

    public static string NewInvitationToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hex SHA-256 of the secret bound to its account, so a code is never valid for another account.</summary>
    public static string Hash(string accountId, string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accountId + "\n" + secret)));

    public static bool Matches(string expectedHex, string accountId, string secret) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expectedHex), Encoding.ASCII.GetBytes(Hash(accountId, secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

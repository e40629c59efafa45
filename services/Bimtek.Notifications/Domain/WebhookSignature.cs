using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bimtek.Notifications.Domain;

/// <summary>
/// How a webhook delivery is signed, and how a receiver checks it. Rules:
/// <list type="bullet">
/// <item>the signed text is <c>{timestamp}.{body}</c>: the Unix time in seconds (header <c>Bimtek-Webhook-Timestamp</c>),
/// a dot, and the raw body bytes exactly as sent;</item>
/// <item>the signature is HMAC-SHA256 with the webhook's secret (the UTF-8 bytes of the base64url text shown once),
/// written <c>v1=&lt;lower-case hex&gt;</c> in <c>Bimtek-Webhook-Signature</c>;</item>
/// <item>each attempt is signed anew with its own timestamp, so a retry is never refused as a replay;</item>
/// <item>a receiver refuses a timestamp further than <see cref="Tolerance"/> (5 minutes) from its clock — a captured
/// request cannot be replayed later — and compares in constant time; it de-duplicates on <c>Bimtek-Webhook-Id</c>,
/// since a delivery may arrive more than once (at-least-once).</item>
/// </list>
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Bimtek-Webhook-Id";
    public const string TimestampHeader = "Bimtek-Webhook-Timestamp";
    public const string SignatureHeader = "Bimtek-Webhook-Signature";
    public const string EventHeader = "Bimtek-Webhook-Event";

    /// <summary>How far a receiver lets a timestamp be from its own clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The header value for a body sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver checks: the timestamp within <see cref="Tolerance"/> of <paramref name="now"/> and the signature.</summary>
    public static bool Verify(string secret, string timestampHeader, string signatureHeader, byte[] body, DateTimeOffset now)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > (long)Tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signatureHeader.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}

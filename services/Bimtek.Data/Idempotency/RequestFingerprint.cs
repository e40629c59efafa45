using System.Security.Cryptography;
using Google.Protobuf;

namespace Bimtek.Data.Idempotency;

/// <summary>
/// The suite's one request fingerprint: SHA-256 (hex) of the request's protobuf bytes without its
/// <c>request_id</c>. Equal requests have equal fingerprints, so the same request_id with the same
/// fingerprint is a retry and with another fingerprint a reused id.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(IMessage request)
    {
        var copy = request.Descriptor.Parser.ParseFrom(request.ToByteString());
        copy.Descriptor.FindFieldByName("request_id")?.Accessor.Clear(copy);
        return Convert.ToHexString(SHA256.HashData(copy.ToByteArray()));
    }
}

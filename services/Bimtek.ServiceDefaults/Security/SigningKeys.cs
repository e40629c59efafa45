using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>Turns PEM text into a signing or verification key; ECDSA P-256 (ES256) by default, RSA accepted.</summary>
public static class SigningKeys
{
    /// <summary>
    /// Only PKCS#1's labels name RSA ("-----BEGIN RSA PRIVATE KEY-----"); PKCS#8 and SubjectPublicKeyInfo ("PRIVATE KEY",
    /// "PUBLIC KEY") hold either kind, so ECDSA is tried first. The label is matched, not the text: base64 may spell "RSA"
    /// (a compose test's freshly generated EC key did, and the gateway would not start).
    /// </summary>
    public static SecurityKey FromPem(string pem)
    {
        if (pem.Contains("-----BEGIN RSA ", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        try
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return new ECDsaSecurityKey(ecdsa);
        }
        catch (CryptographicException)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
    }

    public static string AlgorithmFor(SecurityKey key) =>
        key is RsaSecurityKey ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256;
}

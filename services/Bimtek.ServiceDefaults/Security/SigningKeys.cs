using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>Turns PEM text into a signing or verification key; ECDSA P-256 (ES256) by default, RSA accepted.</summary>
public static class SigningKeys
{
    public static SecurityKey FromPem(string pem)
    {
        if (pem.Contains("RSA", StringComparison.Ordinal))
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

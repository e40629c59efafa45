using System.Security.Cryptography;
using Bimtek.ServiceDefaults.Security;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>A PEM key is read by its label and content, whatever letters its base64 happens to spell.</summary>
public sealed class SigningKeysTests
{
    [Fact]
    public void An_ecdsa_key_whose_base64_spells_RSA_is_still_an_ecdsa_key()
    {
        // About one P-256 key in a thousand has "RSA" somewhere in its PKCS#8 base64.
        var pem = "";
        for (var attempt = 0; attempt < 200_000 && !pem.Contains("RSA", StringComparison.Ordinal); attempt++)
        {
            using var candidate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pem = candidate.ExportPkcs8PrivateKeyPem();
        }
        Assert.Contains("RSA", pem, StringComparison.Ordinal);

        var key = SigningKeys.FromPem(pem);

        Assert.IsType<ECDsaSecurityKey>(key);
        Assert.Equal(SecurityAlgorithms.EcdsaSha256, SigningKeys.AlgorithmFor(key));
    }

    [Fact]
    public void Rsa_keys_load_from_pkcs1_pkcs8_and_public_key_pem()
    {
        using var rsa = RSA.Create(2048);

        Assert.IsType<RsaSecurityKey>(SigningKeys.FromPem(rsa.ExportRSAPrivateKeyPem()));
        Assert.IsType<RsaSecurityKey>(SigningKeys.FromPem(rsa.ExportPkcs8PrivateKeyPem()));
        Assert.IsType<RsaSecurityKey>(SigningKeys.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));
    }
}

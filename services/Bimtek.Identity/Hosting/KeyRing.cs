using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Identity.Hosting;

/// <summary>
/// The keys of the OpenID Connect server. Signing: RSA keys from PEM files, newest first — the first signs,
/// every listed key stays in the JWKS, so a key is rotated by putting a new file first and dropping the
/// oldest once its tokens have expired. Encryption (codes, refresh tokens): a 256-bit key from a file. In the
/// local run both are generated into <see cref="IdentityServiceOptions.KeyDirectory"/> on first start.
/// </summary>
public sealed class KeyRing
{
    public required IReadOnlyList<SecurityKey> SigningKeys { get; init; }

    public required SecurityKey EncryptionKey { get; init; }

    public static KeyRing Load(IdentityServiceOptions options)
    {
        var signingFiles = options.SigningKeyFiles.Where(f => !string.IsNullOrWhiteSpace(f)).ToList();
        var encryptionFile = options.EncryptionKeyFile;
        if (signingFiles.Count == 0 || string.IsNullOrWhiteSpace(encryptionFile))
        {
            if (!options.GenerateKeysIfMissing)
            {
                throw new InvalidOperationException(
                    "Identity:SigningKeyFiles and Identity:EncryptionKeyFile must be set (or Identity:GenerateKeysIfMissing true in a local run).");
            }
            Directory.CreateDirectory(options.KeyDirectory);
            if (signingFiles.Count == 0)
            {
                var generated = Path.Combine(options.KeyDirectory, "identity-signing.pem");
                if (!File.Exists(generated))
                {
                    using var rsa = RSA.Create(2048);
                    WritePrivate(generated, rsa.ExportPkcs8PrivateKeyPem());
                }
                signingFiles.Add(generated);
            }
            if (string.IsNullOrWhiteSpace(encryptionFile))
            {
                encryptionFile = Path.Combine(options.KeyDirectory, "identity-encryption.key");
                if (!File.Exists(encryptionFile))
                {
                    WritePrivate(encryptionFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                }
            }
        }
        var signing = signingFiles.Select(file =>
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(file));
            var key = new RsaSecurityKey(rsa);
            key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
            return (SecurityKey)key;
        }).ToList();
        var secret = Convert.FromBase64String(File.ReadAllText(encryptionFile!).Trim());
        if (secret.Length != 32)
        {
            throw new InvalidOperationException($"{encryptionFile} must hold a base64 256-bit key.");
        }
        return new KeyRing { SigningKeys = signing, EncryptionKey = new SymmetricSecurityKey(secret) };
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

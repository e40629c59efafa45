using System.Security.Cryptography;
using Bimtek.Gateway.Hosting;
using Bimtek.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Gateway.Security;

/// <summary>
/// The gateway's private signing key: from <c>Gateway:SigningKeyPem</c> or <c>Gateway:SigningKeyFile</c>,
/// else (local run) an ECDSA P-256 pair generated once under <c>{DataDirectory}/keys</c> — the private key
/// in <c>gateway-signing.pem</c> and the public key the services read (<c>Auth:PublicKeyFile</c>) in
/// <c>gateway-signing.public.pem</c>.
/// </summary>
public sealed partial class GatewaySigningKey
{
    public const string PrivateKeyFileName = "gateway-signing.pem";
    public const string PublicKeyFileName = "gateway-signing.public.pem";

    public GatewaySigningKey(IOptions<GatewayOptions> options, IHostEnvironment environment, ILogger<GatewaySigningKey> logger)
    {
        var settings = options.Value;
        var pem = settings.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(pem) && !string.IsNullOrWhiteSpace(settings.SigningKeyFile))
        {
            pem = File.ReadAllText(settings.SigningKeyFile);
        }
        if (string.IsNullOrWhiteSpace(pem))
        {
            if (!settings.GenerateSigningKeyIfMissing)
            {
                throw new InvalidOperationException(
                    "No signing key: set Gateway:SigningKeyPem or Gateway:SigningKeyFile (or Gateway:GenerateSigningKeyIfMissing=true for a local run).");
            }
            pem = LoadOrCreateDevelopmentKey(Path.GetFullPath(settings.DataDirectory, environment.ContentRootPath), logger);
        }
        Key = SigningKeys.FromPem(pem);
        Key.KeyId = KeyIdOf(Key);
        Credentials = new SigningCredentials(Key, SigningKeys.AlgorithmFor(Key));
        PublicKeyPem = Key switch
        {
            ECDsaSecurityKey ec => ec.ECDsa.ExportSubjectPublicKeyInfoPem(),
            RsaSecurityKey rsa => rsa.Rsa.ExportSubjectPublicKeyInfoPem(),
            _ => throw new InvalidOperationException("Unsupported signing key."),
        };
    }

    public SecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>What the services need (<c>Auth:PublicKeyPem</c>).</summary>
    public string PublicKeyPem { get; }

    private static string LoadOrCreateDevelopmentKey(string dataDirectory, ILogger logger)
    {
        var directory = Path.Combine(dataDirectory, "keys");
        var privatePath = Path.Combine(directory, PrivateKeyFileName);
        var publicPath = Path.Combine(directory, PublicKeyFileName);
        if (File.Exists(privatePath))
        {
            var existing = File.ReadAllText(privatePath);
            if (!File.Exists(publicPath))
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(existing);
                WriteAtomically(publicPath, ecdsa.ExportSubjectPublicKeyInfoPem());
            }
            LogUsingDevelopmentKey(logger, privatePath, publicPath);
            return existing;
        }
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privatePem = key.ExportPkcs8PrivateKeyPem();
        WriteAtomically(privatePath, privatePem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        WriteAtomically(publicPath, key.ExportSubjectPublicKeyInfoPem());
        LogGeneratedDevelopmentKey(logger, privatePath, publicPath);
        return privatePem;
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static string KeyIdOf(SecurityKey key)
    {
        var thumbprint = key.CanComputeJwkThumbprint() ? key.ComputeJwkThumbprint() : [];
        return thumbprint.Length == 0 ? "gateway" : Base64UrlEncoder.Encode(thumbprint)[..16];
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Generated a development signing key pair: private {PrivateKeyPath}, public {PublicKeyPath} (services: Auth:PublicKeyFile). Configure Gateway:SigningKeyPem/File in deployments.")]
    private static partial void LogGeneratedDevelopmentKey(ILogger logger, string privateKeyPath, string publicKeyPath);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Using the development signing key {PrivateKeyPath}; services verify with {PublicKeyPath} (Auth:PublicKeyFile).")]
    private static partial void LogUsingDevelopmentKey(ILogger logger, string privateKeyPath, string publicKeyPath);
}

using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Bimtek.Production.Data;

/// <summary>Where the S3-compatible store is (<c>Photos:S3:*</c>).</summary>
public sealed class S3MediaOptions
{
    /// <summary>The endpoint of an S3-compatible store (MinIO, Ceph RGW…); empty for AWS itself with <see cref="Region"/>.</summary>
    public string ServiceUrl { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "bimtek-photos";

    /// <summary>Optional prefix before every key (several suites in one bucket).</summary>
    public string Prefix { get; set; } = "";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>A file holding the secret key (compose and Kubernetes secrets), read when <see cref="SecretKey"/> is empty.</summary>
    public string SecretKeyFile { get; set; } = "";

    /// <summary>Path-style addressing (<c>{endpoint}/{bucket}/{key}</c>), what S3-compatible stores expect.</summary>
    public bool ForcePathStyle { get; set; } = true;
}

/// <summary>
/// Photos in an S3-compatible object store through AWSSDK.S3 (SigV4-signed PUT/GET/DELETE of whole objects,
/// path-style by default). Used in deployments where production runs on more than one machine, so that every
/// instance reads what any instance stored.
/// </summary>
public sealed class S3MediaStore(IAmazonS3 s3, S3MediaOptions options) : IMediaStore
{
    public static IAmazonS3 CreateClient(S3MediaOptions options)
    {
        var secret = options.SecretKey;
        if (string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(options.SecretKeyFile))
        {
            secret = File.ReadAllText(options.SecretKeyFile).Trim();
        }
        if (string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException("Photos:S3:AccessKey and Photos:S3:SecretKey (or SecretKeyFile) must be set for the S3 media store.");
        }
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 2,
            // Checksums only where S3 requires them: S3-compatible stores do not all know the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, secret), config);
    }

    public async Task PutAsync(string key, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(bytes, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = options.Prefix + key,
            InputStream = body,
            ContentType = contentType,
            AutoCloseStream = false,
            // One signed payload (x-amz-content-sha256 = its SHA-256), not aws-chunked: every S3-compatible store reads it.
            UseChunkEncoding = false,
        }, cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(options.Bucket, options.Prefix + key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        s3.DeleteObjectAsync(options.Bucket, options.Prefix + key, cancellationToken);
}

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

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken)
    {
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = options.Prefix + key,
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            Headers = { ContentLength = length },
        }, cancellationToken);
    }

    /// <summary>A ranged GET (<c>Range: bytes=offset-end</c>), so only the part asked for crosses the network.</summary>
    public async Task<Stream?> OpenRangeAsync(string key, long offset, long length, CancellationToken cancellationToken)
    {
        try
        {
            var response = await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = options.Bucket,
                Key = options.Prefix + key,
                ByteRange = new ByteRange(offset, offset + length - 1),
            }, cancellationToken);
            return new OwnedStream(response.ResponseStream, response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
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

/// <summary>A response stream that disposes the response it came from.</summary>
internal sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner.Dispose();
        }
        base.Dispose(disposing);
    }
}

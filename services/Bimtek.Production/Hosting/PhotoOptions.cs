using Bimtek.Production.Data;
using Bimtek.Production.Domain;

namespace Bimtek.Production.Hosting;

/// <summary>Photos and their media store (<c>Photos:*</c>).</summary>
internal sealed class PhotoOptions
{
    public const string Section = "Photos";

    /// <summary><c>disk</c> (default: files under <see cref="Directory"/>) or <c>s3</c> (<see cref="S3"/>).</summary>
    public string Store { get; set; } = "disk";

    /// <summary>Folder of the disk store; default <c>{Database:DataDirectory}/media</c>.</summary>
    public string Directory { get; set; } = "";

    public S3MediaOptions S3 { get; set; } = new();

    /// <summary>Largest upload in bytes (10 MiB: a full-size phone photo fits; the field app resizes first).</summary>
    public long MaxUploadBytes { get; set; } = PhotoLimits.Default.MaxBytes;

    /// <summary>Most pixels an upload may decode into (50 megapixels).</summary>
    public long MaxPixels { get; set; } = PhotoLimits.Default.MaxPixels;

    /// <summary>Long edge of the display version in pixels.</summary>
    public int DisplayLongEdge { get; set; } = PhotoLimits.Default.DisplayLongEdge;

    /// <summary>Long edge of the thumbnail in pixels.</summary>
    public int ThumbLongEdge { get; set; } = PhotoLimits.Default.ThumbLongEdge;

    /// <summary>Most photos one report, inspection or sign-off holds.</summary>
    public int MaxPhotosPerRecord { get; set; } = 10;

    public PhotoLimits Limits => new(MaxUploadBytes, MaxPixels, DisplayLongEdge, ThumbLongEdge);
}

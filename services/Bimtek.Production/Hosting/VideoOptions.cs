namespace Bimtek.Production.Hosting;

/// <summary>
/// Lesson videos (<c>Videos:*</c>). Their bytes go to the same media store as photos (<c>Photos:Store</c>: disk or
/// S3), under <c>videos/{videoId}/original</c>.
/// </summary>
internal sealed class VideoOptions
{
    public const string Section = "Videos";

    /// <summary>Largest upload in bytes (default 200 MiB: a 20-minute lesson at 480p fits). The gateway's route limit must allow it too.</summary>
    public long MaxUploadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Folder where an upload is spooled while it arrives (default: the system's temporary folder).</summary>
    public string SpoolDirectory { get; set; } = "";
}

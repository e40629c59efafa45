namespace Bimtek.Materials.Hosting;

/// <summary>Settings of the materials service (<c>Materials:*</c>).</summary>
public sealed class MaterialsOptions
{
    public const string Section = "Materials";

    /// <summary>Tell trainees of their dispatched kits through the notifications service (outbox).</summary>
    public bool SendNotifications { get; set; }
}

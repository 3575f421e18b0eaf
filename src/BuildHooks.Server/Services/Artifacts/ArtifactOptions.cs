namespace BuildHooks.Server.Services.Artifacts;

/// <summary>Settings under <c>BuildHooks:Artifacts</c>.</summary>
public sealed class ArtifactOptions
{
    public const string Section = "BuildHooks:Artifacts";

    /// <summary>Largest artifact accepted, in bytes (default 1 GiB); larger uploads are answered 413.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>How long a build's access token opens its artifacts, counted from the build's finish (or its creation while it runs).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the files of deleted builds are removed from the data directory.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>An upload went past <see cref="ArtifactOptions.MaxBytes"/>; the API answers 413.</summary>
public sealed class ArtifactTooLargeException(long maxBytes)
    : Exception($"The artifact is larger than {maxBytes} bytes (BuildHooks:Artifacts:MaxBytes).")
{
    public long MaxBytes { get; } = maxBytes;
}

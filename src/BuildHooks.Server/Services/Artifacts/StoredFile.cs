namespace BuildHooks.Server.Services.Artifacts;

/// <summary>What <see cref="ArtifactStore.SaveAsync"/> learnt while writing a file.</summary>
public sealed record StoredFile(long Size, string Sha256);

namespace BuildHooks.Core.Model;

/// <summary>An artifact as payloads list it (Ship.io's <c>artifacts</c> entries).</summary>
public sealed record ArtifactLink(Guid Id, string Name, string DownloadUrl);

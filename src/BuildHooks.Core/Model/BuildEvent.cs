namespace BuildHooks.Core.Model;

/// <summary>Everything a payload format may draw on when rendering one finished build for one hook.</summary>
public sealed record BuildEvent(
    Build Build,
    Project Project,
    Hook Hook,
    string BuildUrl,
    IReadOnlyList<ArtifactLink> Artifacts);

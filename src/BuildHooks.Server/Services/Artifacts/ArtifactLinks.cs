using BuildHooks.Core.Model;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>
/// Ship.io-style download links: <c>{PublicUrl}/builds/{build uuid}/artifacts/{artifact uuid}/{name}?build_access_token=…</c>.
/// The web pages link to the same form, so it is built in this one place.
/// </summary>
public sealed class ArtifactLinks(PublicUrls urls)
{
    public const string TokenParameter = "build_access_token";

    public string DownloadUrl(Build build, Artifact artifact) =>
        $"{urls.Base}/builds/{build.Uuid:D}/artifacts/{artifact.Uuid:D}/{Uri.EscapeDataString(artifact.Name)}?{TokenParameter}={Uri.EscapeDataString(build.AccessToken ?? "")}";

    public ArtifactLink Link(Build build, Artifact artifact) => new(artifact.Uuid, artifact.Name, DownloadUrl(build, artifact));
}

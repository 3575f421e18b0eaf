using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

/// <summary>An artifact as the API lists it; <c>id</c> is the public uuid that payloads and download URLs use.</summary>
public sealed record ArtifactView(Guid Id, string Name, long Size, string Sha256, string ContentType, DateTimeOffset CreatedAt, string DownloadUrl)
{
    public static ArtifactView From(Artifact a, string downloadUrl) => new(a.Uuid, a.Name, a.Size, a.Sha256, a.ContentType, a.CreatedAt, downloadUrl);
}

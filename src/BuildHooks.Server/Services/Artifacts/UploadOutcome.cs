using BuildHooks.Core.Model;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>A stored file ready to be recorded, or the 4xx problem to answer.</summary>
public sealed record UploadOutcome(Artifact? Artifact, int Status = 201, string Title = "", string Detail = "")
{
    public static UploadOutcome Problem(int status, string title, string detail) => new(null, status, title, detail);
}

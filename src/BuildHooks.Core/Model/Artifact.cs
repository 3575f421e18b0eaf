namespace BuildHooks.Core.Model;

/// <summary>A file a build uploaded, kept under the data directory and downloadable with the build's access token.</summary>
public sealed class Artifact
{
    public long Id { get; set; }

    /// <summary>The public id in download URLs and payloads.</summary>
    public Guid Uuid { get; set; }

    public long BuildId { get; set; }

    /// <summary>The sanitised file name (no directories, no traversal).</summary>
    public required string Name { get; set; }

    public required string ContentType { get; set; }
    public long Size { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content; also the download's ETag.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Where the bytes live, relative to the artifacts directory.</summary>
    public required string StoragePath { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

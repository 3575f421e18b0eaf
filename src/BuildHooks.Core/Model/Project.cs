namespace BuildHooks.Core.Model;

/// <summary>A project (Magnum) or job (Ship.io): the thing builds belong to and hooks hang off.</summary>
public sealed class Project
{
    public long Id { get; set; }

    /// <summary>Opaque URL-safe key, Ship.io's job id (e.g. <c>AQ_9V0GKpZ8Zkjj_</c>).</summary>
    public required string Key { get; set; }

    public required string Name { get; set; }
    public required Repository Repository { get; set; }

    /// <summary>SHA-256 of the report token; the token itself is shown once.</summary>
    public required string ReportTokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

namespace BuildHooks.Bench;

/// <summary>A project made for the run; the id is kept as text because it only ever goes into URLs.</summary>
public sealed record CreatedProject(string Id, string? ReportToken);

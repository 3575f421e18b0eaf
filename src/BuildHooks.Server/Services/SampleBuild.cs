using BuildHooks.Core.Model;

namespace BuildHooks.Server.Services;

/// <summary>A realistic passing build for testing a hook before the project has any finished build.</summary>
public static class SampleBuild
{
    public static Build For(Project project, DateTimeOffset now) => new()
    {
        Uuid = Guid.NewGuid(),
        ProjectId = project.Id,
        Number = 1,
        Commit = "e91e132612d263d95211aae6de2df9e503f22704",
        Author = "BuildHooks",
        Committer = "BuildHooks",
        Message = "Test delivery from BuildHooks",
        Branch = string.IsNullOrEmpty(project.Repository.SelectedBranch) ? "main" : project.Repository.SelectedBranch,
        Status = BuildStatus.Pass,
        Result = 0,
        StartedAt = now.AddSeconds(-158),
        FinishedAt = now,
        CreatedAt = now,
    };
}

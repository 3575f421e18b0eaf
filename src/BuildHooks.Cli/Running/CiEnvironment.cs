namespace BuildHooks.Cli.Running;

/// <summary>Commit, branch and author as the CI running us tells them in its environment variables.</summary>
public static class CiEnvironment
{
    public static CommitInfo Read(CliContext context)
    {
        string? Env(string name) => context.Env(name);

        var found = new CommitInfo();
        // Later systems win over earlier ones; a machine normally has only one CI's variables.
        found = found.OverriddenBy(new CommitInfo(
            Commit: Env("TRAVIS_COMMIT"), Message: Env("TRAVIS_COMMIT_MESSAGE"),
            Branch: Env("TRAVIS_PULL_REQUEST_BRANCH") ?? Env("TRAVIS_BRANCH")));
        found = found.OverriddenBy(new CommitInfo(
            Commit: Env("BUILDKITE_COMMIT") is { } sha && sha != "HEAD" ? sha : null,
            Author: Env("BUILDKITE_BUILD_AUTHOR"), Message: Env("BUILDKITE_MESSAGE"), Branch: Env("BUILDKITE_BRANCH")));
        found = found.OverriddenBy(new CommitInfo(Commit: Env("CIRCLE_SHA1"), Author: Env("CIRCLE_USERNAME"), Branch: Env("CIRCLE_BRANCH")));
        found = found.OverriddenBy(new CommitInfo(Commit: Env("GIT_COMMIT"), Branch: JenkinsBranch(Env("GIT_BRANCH"))));
        found = found.OverriddenBy(new CommitInfo(
            Commit: Env("CI_COMMIT_SHA"), Author: NameOnly(Env("CI_COMMIT_AUTHOR")), Message: Env("CI_COMMIT_MESSAGE")?.TrimEnd(),
            Branch: Env("CI_COMMIT_BRANCH") ?? Env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") ?? Env("CI_COMMIT_REF_NAME")));
        found = found.OverriddenBy(new CommitInfo(
            Commit: Env("GITHUB_SHA"), Author: Env("GITHUB_ACTOR"),
            // On pull requests GITHUB_REF_NAME is "123/merge"; the head branch is what people filter hooks on.
            Branch: Env("GITHUB_HEAD_REF") ?? Env("GITHUB_REF_NAME")));
        return found;
    }

    /// <summary>Jenkins says "origin/main"; hooks filter on "main".</summary>
    private static string? JenkinsBranch(string? branch) =>
        branch is not null && branch.StartsWith("origin/", StringComparison.Ordinal) ? branch["origin/".Length..] : branch;

    /// <summary>GitLab gives "Name &lt;email&gt;"; the payload's author is the name.</summary>
    private static string? NameOnly(string? author)
    {
        if (author is null)
        {
            return null;
        }

        var angle = author.IndexOf('<', StringComparison.Ordinal);
        return angle > 0 ? author[..angle].Trim() : author;
    }
}

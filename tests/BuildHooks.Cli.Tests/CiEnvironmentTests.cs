using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Tests;

/// <summary>Each CI's variables become commit details; empty values count as unset.</summary>
public sealed class CiEnvironmentTests
{
    private static CommitInfo Read(params (string Name, string Value)[] variables) =>
        CiEnvironment.Read(new CliContext(TextWriter.Null, TextWriter.Null, variables.ToDictionary(v => v.Name, v => v.Value), Path.GetTempPath()));

    [Fact]
    public void No_CI_variables_tell_nothing() => Assert.Equal(new CommitInfo(), Read());

    [Fact]
    public void GitHub_Actions_pull_requests_report_the_head_branch_not_the_merge_ref()
    {
        var info = Read(("GITHUB_SHA", "abc123"), ("GITHUB_REF_NAME", "42/merge"), ("GITHUB_HEAD_REF", "feature/login"), ("GITHUB_ACTOR", "octocat"));
        Assert.Equal(new CommitInfo("abc123", "octocat", null, null, "feature/login"), info);
    }

    [Fact]
    public void GitHub_Actions_pushes_report_the_ref_name_when_the_head_ref_is_empty()
    {
        Assert.Equal("main", Read(("GITHUB_SHA", "abc123"), ("GITHUB_REF_NAME", "main"), ("GITHUB_HEAD_REF", "")).Branch);
    }

    [Fact]
    public void GitLab_author_loses_the_email_and_the_message_its_trailing_newline()
    {
        var info = Read(("CI_COMMIT_SHA", "def456"), ("CI_COMMIT_BRANCH", "main"), ("CI_COMMIT_AUTHOR", "Dan Sosedoff <dan@example.com>"), ("CI_COMMIT_MESSAGE", "Fix the login screen\n"));
        Assert.Equal(new CommitInfo("def456", "Dan Sosedoff", null, "Fix the login screen", "main"), info);
    }

    [Fact]
    public void GitLab_merge_request_pipelines_report_the_source_branch()
    {
        Assert.Equal("feature/x", Read(("CI_COMMIT_SHA", "def456"), ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/x"), ("CI_COMMIT_REF_NAME", "refs/merge-requests/1/head")).Branch);
    }

    [Fact]
    public void Jenkins_branch_loses_the_remote_name()
    {
        Assert.Equal(new CommitInfo("789abc", null, null, null, "release/2.0"), Read(("GIT_COMMIT", "789abc"), ("GIT_BRANCH", "origin/release/2.0")));
    }

    [Fact]
    public void CircleCI_gives_commit_branch_and_user()
    {
        Assert.Equal(new CommitInfo("c1", "circle-user", null, null, "dev"), Read(("CIRCLE_SHA1", "c1"), ("CIRCLE_BRANCH", "dev"), ("CIRCLE_USERNAME", "circle-user")));
    }

    [Fact]
    public void Buildkite_HEAD_is_not_a_commit()
    {
        var info = Read(("BUILDKITE_COMMIT", "HEAD"), ("BUILDKITE_BRANCH", "main"), ("BUILDKITE_BUILD_AUTHOR", "Kite"), ("BUILDKITE_MESSAGE", "Ship it"));
        Assert.Equal(new CommitInfo(null, "Kite", null, "Ship it", "main"), info);
    }

    [Fact]
    public void Travis_gives_commit_branch_and_message()
    {
        Assert.Equal(new CommitInfo("t1", null, null, "Msg", "master"), Read(("TRAVIS_COMMIT", "t1"), ("TRAVIS_BRANCH", "master"), ("TRAVIS_COMMIT_MESSAGE", "Msg")));
    }
}

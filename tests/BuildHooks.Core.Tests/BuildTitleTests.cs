using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Core.Tests;

public class BuildTitleTests
{
    [Fact]
    public void Title_of_the_seed_build_matches_magnum()
    {
        var e = Seeds.MagnumEvent();

        Assert.Equal("[PASS] project-name #130 (master - e91e132) by Dan Sosedoff", BuildTitle.For(e.Build, e.Project));
    }

    [Theory]
    [InlineData(BuildStatus.Fail, "[FAIL] project-name #130 (master - e91e132) by Dan Sosedoff")]
    [InlineData(BuildStatus.Error, "[ERROR] project-name #130 (master - e91e132) by Dan Sosedoff")]
    public void Title_names_the_status_in_capitals(BuildStatus status, string expected)
    {
        var e = Seeds.MagnumEvent();
        e.Build.Status = status;

        Assert.Equal(expected, BuildTitle.For(e.Build, e.Project));
    }

    [Fact]
    public void Short_commit_is_kept_whole()
    {
        var e = Seeds.MagnumEvent();
        e.Build.Commit = "abc12";
        e.Build.Branch = "feature/login";
        e.Build.Number = 7;

        Assert.Equal("[PASS] project-name #7 (feature/login - abc12) by Dan Sosedoff", BuildTitle.For(e.Build, e.Project));
    }
}

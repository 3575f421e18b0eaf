using BuildHooks.Core.Rules;

namespace BuildHooks.Core.Tests;

public class BranchFilterTests
{
    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "Main", false)]
    [InlineData("main", "main2", false)]
    [InlineData("main", "origin/main", false)]
    [InlineData("release/*", "release/1.2", true)]
    [InlineData("release/*", "release/1.2/hotfix", false)]
    [InlineData("release/*", "release", false)]
    [InlineData("release/v*", "release/v2.0", true)]
    [InlineData("release/v*", "release/2.0", false)]
    [InlineData("*", "main", true)]
    [InlineData("*", "feature/x", false)]
    [InlineData("**", "feature/x/y", true)]
    [InlineData("feature/**", "feature/x", true)]
    [InlineData("feature/**", "feature/x/y/z", true)]
    [InlineData("feature/**", "feature", false)]
    [InlineData("feature/**", "features/x", false)]
    [InlineData("**/hotfix", "hotfix", true)]
    [InlineData("**/hotfix", "release/1.2/hotfix", true)]
    [InlineData("feature/**/fix-*", "feature/fix-1", true)]
    [InlineData("feature/**/fix-*", "feature/a/b/fix-1", true)]
    [InlineData("feature/**/**/fix", "feature/a/fix", true)]
    [InlineData("*-rc*", "2.0-rc1", true)]
    [InlineData("*-rc*", "2.0-beta", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("/main", "main", false)]
    [InlineData("../main", "main", false)]
    public void Glob_matches_whole_branch_names(string glob, string branch, bool matches)
    {
        Assert.Equal(matches, BranchFilter.GlobMatches(glob, branch));
    }

    [Fact]
    public void Filter_without_globs_allows_every_branch()
    {
        var filter = new BranchFilter([]);

        Assert.True(filter.AllowsEveryBranch);
        Assert.True(filter.Matches("anything/at/all"));
    }

    [Fact]
    public void Filter_allows_a_branch_that_any_glob_matches()
    {
        var filter = new BranchFilter(["main", "release/*"]);

        Assert.True(filter.Matches("main"));
        Assert.True(filter.Matches("release/3"));
        Assert.False(filter.Matches("develop"));
    }

    [Fact]
    public void Pathological_glob_finishes_quickly()
    {
        var glob = string.Join('/', Enumerable.Repeat("**/a*a*a*a*a*b", 6));
        var branch = string.Join('/', Enumerable.Repeat(new string('a', 40), 30));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(BranchFilter.GlobMatches(glob, branch));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}

using BuildHooks.Core.Model;
using BuildHooks.Core.Rules;

namespace BuildHooks.Core.Tests;

public class TriggerRulesTests
{
    private static Hook HookFor(params HookTrigger[] triggers)
    {
        var hook = Seeds.NewHook();
        hook.Triggers = [.. triggers];
        return hook;
    }

    private static Build BuildWith(BuildStatus status, string branch = "main") => new()
    {
        Id = 1,
        Number = 1,
        Branch = branch,
        Status = status,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = status == BuildStatus.Running ? null : DateTimeOffset.UnixEpoch.AddMinutes(1),
    };

    [Fact]
    public void Fail_build_is_not_sent_to_a_pass_only_hook()
    {
        Assert.False(TriggerRules.Matches(HookFor(HookTrigger.Pass), BuildWith(BuildStatus.Fail), null));
    }

    [Fact]
    public void Pass_build_is_sent_to_a_pass_only_hook()
    {
        Assert.True(TriggerRules.Matches(HookFor(HookTrigger.Pass), BuildWith(BuildStatus.Pass), null));
    }

    [Theory]
    [InlineData(HookTrigger.Pass, BuildStatus.Pass, true)]
    [InlineData(HookTrigger.Pass, BuildStatus.Error, false)]
    [InlineData(HookTrigger.Fail, BuildStatus.Fail, true)]
    [InlineData(HookTrigger.Fail, BuildStatus.Error, false)]
    [InlineData(HookTrigger.Fail, BuildStatus.Pass, false)]
    [InlineData(HookTrigger.Error, BuildStatus.Error, true)]
    [InlineData(HookTrigger.Error, BuildStatus.Fail, false)]
    public void Status_triggers_fire_only_for_their_own_status(HookTrigger trigger, BuildStatus status, bool sent)
    {
        Assert.Equal(sent, TriggerRules.Matches(HookFor(trigger), BuildWith(status), BuildStatus.Pass));
    }

    [Theory]
    [InlineData(BuildStatus.Pass)]
    [InlineData(BuildStatus.Fail)]
    [InlineData(BuildStatus.Error)]
    public void Any_hook_gets_every_finished_build(BuildStatus status)
    {
        Assert.True(TriggerRules.Matches(HookFor(HookTrigger.Any), BuildWith(status), null));
    }

    [Fact]
    public void Running_build_is_sent_to_no_hook()
    {
        var hook = HookFor(HookTrigger.Any, HookTrigger.Pass, HookTrigger.Fail, HookTrigger.Error, HookTrigger.Fixed, HookTrigger.Broken);

        Assert.False(TriggerRules.Matches(hook, BuildWith(BuildStatus.Running), BuildStatus.Fail));
    }

    [Fact]
    public void Disabled_hook_gets_nothing()
    {
        var hook = HookFor(HookTrigger.Any);
        hook.Enabled = false;

        Assert.False(TriggerRules.Matches(hook, BuildWith(BuildStatus.Pass), null));
    }

    [Theory]
    [InlineData(BuildStatus.Fail, true)]
    [InlineData(BuildStatus.Error, true)]
    [InlineData(BuildStatus.Pass, false)]
    [InlineData(null, false)]
    public void Fixed_fires_for_a_pass_after_a_failed_or_errored_build_on_the_branch(BuildStatus? previousOnBranch, bool sent)
    {
        Assert.Equal(sent, TriggerRules.Matches(HookFor(HookTrigger.Fixed), BuildWith(BuildStatus.Pass), previousOnBranch));
    }

    [Theory]
    [InlineData(BuildStatus.Fail)]
    [InlineData(BuildStatus.Error)]
    public void Fixed_does_not_fire_for_a_build_that_is_still_broken(BuildStatus status)
    {
        Assert.False(TriggerRules.Matches(HookFor(HookTrigger.Fixed), BuildWith(status), BuildStatus.Fail));
    }

    [Theory]
    [InlineData(BuildStatus.Fail, BuildStatus.Pass, true)]
    [InlineData(BuildStatus.Error, BuildStatus.Pass, true)]
    [InlineData(BuildStatus.Fail, BuildStatus.Fail, false)]
    [InlineData(BuildStatus.Error, BuildStatus.Fail, false)]
    [InlineData(BuildStatus.Fail, null, false)]
    [InlineData(BuildStatus.Pass, BuildStatus.Pass, false)]
    public void Broken_fires_for_the_first_fail_or_error_after_a_pass_on_the_branch(BuildStatus status, BuildStatus? previousOnBranch, bool sent)
    {
        Assert.Equal(sent, TriggerRules.Matches(HookFor(HookTrigger.Broken), BuildWith(status), previousOnBranch));
    }

    [Fact]
    public void Several_triggers_fire_when_any_one_does()
    {
        var hook = HookFor(HookTrigger.Error, HookTrigger.Fixed);

        Assert.True(TriggerRules.Matches(hook, BuildWith(BuildStatus.Pass), BuildStatus.Error));
        Assert.True(TriggerRules.Matches(hook, BuildWith(BuildStatus.Error), BuildStatus.Error));
        Assert.False(TriggerRules.Matches(hook, BuildWith(BuildStatus.Pass), BuildStatus.Pass));
        Assert.False(TriggerRules.Matches(hook, BuildWith(BuildStatus.Fail), BuildStatus.Pass));
    }

    [Fact]
    public void Hook_without_branch_globs_gets_builds_of_every_branch()
    {
        var hook = HookFor(HookTrigger.Any);

        Assert.True(TriggerRules.Matches(hook, BuildWith(BuildStatus.Pass, "main"), null));
        Assert.True(TriggerRules.Matches(hook, BuildWith(BuildStatus.Pass, "feature/deep/branch"), null));
    }

    [Theory]
    [InlineData("release/1.2", true)]
    [InlineData("main", true)]
    [InlineData("release/1.2/hotfix", false)]
    [InlineData("Main", false)]
    [InlineData("develop", false)]
    public void Hook_with_branch_globs_gets_only_matching_branches(string branch, bool sent)
    {
        var hook = HookFor(HookTrigger.Any);
        hook.Branches = ["main", "release/*"];

        Assert.Equal(sent, TriggerRules.Matches(hook, BuildWith(BuildStatus.Pass, branch), null));
    }

    [Fact]
    public void Branch_filter_applies_to_fixed_and_broken_too()
    {
        var hook = HookFor(HookTrigger.Fixed, HookTrigger.Broken);
        hook.Branches = ["main"];

        Assert.True(TriggerRules.Matches(hook, BuildWith(BuildStatus.Fail, "main"), BuildStatus.Pass));
        Assert.False(TriggerRules.Matches(hook, BuildWith(BuildStatus.Fail, "feature/x"), BuildStatus.Pass));
    }
}

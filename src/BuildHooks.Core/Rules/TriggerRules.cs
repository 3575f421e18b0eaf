using BuildHooks.Core.Model;

namespace BuildHooks.Core.Rules;

/// <summary>Whether a finished build goes to a hook.</summary>
public static class TriggerRules
{
    /// <param name="previousOnBranch">Status of the previous finished build on the same branch of the project, if any.</param>
    public static bool Matches(Hook hook, Build build, BuildStatus? previousOnBranch)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(build);

        if (!hook.Enabled || build.Status == BuildStatus.Running)
        {
            return false;
        }

        if (!new BranchFilter(hook.Branches).Matches(build.Branch))
        {
            return false;
        }

        return hook.Triggers.Exists(trigger => Fires(trigger, build.Status, previousOnBranch));
    }

    /// <summary>Whether one trigger fires for a finished build with this status.</summary>
    public static bool Fires(HookTrigger trigger, BuildStatus status, BuildStatus? previousOnBranch) => trigger switch
    {
        HookTrigger.Any => status != BuildStatus.Running,
        HookTrigger.Pass => status == BuildStatus.Pass,
        HookTrigger.Fail => status == BuildStatus.Fail,
        HookTrigger.Error => status == BuildStatus.Error,
        HookTrigger.Fixed => status == BuildStatus.Pass && (previousOnBranch is BuildStatus.Fail or BuildStatus.Error),
        HookTrigger.Broken => (status is BuildStatus.Fail or BuildStatus.Error) && previousOnBranch == BuildStatus.Pass,
        _ => false,
    };
}

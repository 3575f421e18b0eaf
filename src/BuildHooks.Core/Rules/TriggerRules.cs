using BuildHooks.Core.Model;

namespace BuildHooks.Core.Rules;

/// <summary>CONTRACT — whether a finished build goes to a hook.</summary>
public static class TriggerRules
{
    /// <param name="previousOnBranch">Status of the previous finished build on the same branch of the project, if any.</param>
    public static bool Matches(Hook hook, Build build, BuildStatus? previousOnBranch) => throw new NotImplementedException();
}

namespace BuildHooks.Core.Model;

/// <summary>Which finished builds a hook wants.</summary>
public enum HookTrigger
{
    Pass,
    Fail,
    Error,
    Any,
    /// <summary>The first pass after a failed or errored build on the same branch.</summary>
    Fixed,
    /// <summary>The first fail or error after a pass on the same branch.</summary>
    Broken,
}

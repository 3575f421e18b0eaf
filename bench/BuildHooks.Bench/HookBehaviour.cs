namespace BuildHooks.Bench;

/// <summary>How the receiver answers a hook: the isolation run makes some hooks misbehave on purpose.</summary>
public enum HookBehaviour
{
    /// <summary>200 as soon as the body is in.</summary>
    Healthy,

    /// <summary>Never answers: the request is held open until the server's per-hook timeout gives up on it.</summary>
    Hanging,

    /// <summary>500 at once.</summary>
    Failing,
}

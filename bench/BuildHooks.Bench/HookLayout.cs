namespace BuildHooks.Bench;

/// <summary>
/// Which of a project's hooks misbehave. Every project gets the same layout — the first hooks hang, the
/// next fail, the rest are healthy — so every build fans out to all three kinds at once.
/// </summary>
public sealed record HookLayout(int Hanging, int Failing, int Healthy)
{
    /// <summary>The share of hooks that hang, and again the share that fail, in an isolation run.</summary>
    public const double UnhealthyShare = 0.2;

    /// <summary>Hooks per project in an isolation run unless --hooks says otherwise: one hangs, one fails, three are healthy.</summary>
    public const int IsolationDefaultHooks = 5;

    /// <summary>Hanging, failing and healthy: at least one of each per project.</summary>
    public const int IsolationMinimumHooks = 3;

    public int PerProject => Hanging + Failing + Healthy;

    /// <summary>
    /// Every hook of the run gets this timeout. The hanging ones must time out (and be retried) within a
    /// run of seconds, not after the default 15 s; 2 s is still far above a healthy receipt on loopback.
    /// </summary>
    public int TimeoutSeconds => Hanging > 0 ? 2 : 15;

    public static HookLayout For(int hooksPerProject, bool isolation)
    {
        if (!isolation)
        {
            return new HookLayout(0, 0, hooksPerProject);
        }

        var unhealthy = Math.Max(1, (int)Math.Round(hooksPerProject * UnhealthyShare, MidpointRounding.AwayFromZero));
        return new HookLayout(unhealthy, unhealthy, hooksPerProject - (2 * unhealthy));
    }

    /// <param name="index">The hook's place within its project, from 0.</param>
    public HookBehaviour BehaviourOf(int index) =>
        index < Hanging ? HookBehaviour.Hanging : index < Hanging + Failing ? HookBehaviour.Failing : HookBehaviour.Healthy;
}

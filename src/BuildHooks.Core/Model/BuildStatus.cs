namespace BuildHooks.Core.Model;

/// <summary>How a build ended (or that it has not ended yet).</summary>
public enum BuildStatus
{
    Running,
    Pass,
    Fail,
    Error,
}

namespace BuildHooks.Cli.Running;

/// <summary>How the wrapped command ended: its exit status as the build's result, or an error (could not start, timed out, interrupted).</summary>
public sealed record CommandOutcome(int ExitCode, int? Result, string? Error, TimeSpan Duration)
{
    public string Status => Result is null ? "error" : Result == 0 ? "pass" : "fail";
}

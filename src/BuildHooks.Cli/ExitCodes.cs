namespace BuildHooks.Cli;

/// <summary>Exit codes scripts can rely on (documented in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server answered but said no: not found, invalid input, not allowed, conflict; or a hook test the receiver failed.</summary>
    public const int Refused = 1;

    /// <summary>The command line was wrong, or no server address or token was configured.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached (refused, DNS, timeout, TLS).</summary>
    public const int Unreachable = 3;

    /// <summary><c>run</c>: the wrapped command was killed by <c>--timeout</c> (as GNU timeout does).</summary>
    public const int TimedOut = 124;

    /// <summary><c>run</c>: the wrapped command could not be started (as a shell does for a missing command).</summary>
    public const int CannotStart = 127;
}

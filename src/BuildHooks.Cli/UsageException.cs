namespace BuildHooks.Cli;

/// <summary>The user has to change the command line or the configuration; exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

namespace BuildHooks.Cli.Api;

/// <summary>No answer from the server at all: connection refused, DNS, TLS or timeout.</summary>
public sealed class ServerUnreachableException(Uri server, string reason)
    : Exception($"Cannot reach the BuildHooks server at {server}: {reason}")
{
    public Uri Server { get; } = server;
}

namespace BuildHooks.Cli.Api;

/// <summary>The server answered with a non-success status; <see cref="Exception.Message"/> is its Problem Details, readably.</summary>
public sealed class ApiException(int statusCode, string message, string body) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Body { get; } = body;
}

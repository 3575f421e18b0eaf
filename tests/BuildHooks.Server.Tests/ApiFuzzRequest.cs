using System.Text;

namespace BuildHooks.Server.Tests;

/// <summary>One generated request of a fuzz run: enough to send it and to print it when its answer is wrong.</summary>
public sealed record ApiFuzzRequest(ApiEndpoint Endpoint, string PathAndQuery, byte[]? Body, string? ContentType, string Kind)
{
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 160))) + (Body.Length > 160 ? $"… ({Body.Length} bytes)" : "");
        var path = PathAndQuery.Length <= 200 ? PathAndQuery : PathAndQuery[..200] + $"… ({PathAndQuery.Length} chars)";
        return $"{Endpoint.Method} {path} [{Kind}, {ContentType ?? "no content type"}] {body}";
    }
}

using System.Text.Json;

namespace BuildHooks.Server.Infrastructure;

/// <summary>A JSON string the API will not store; <see cref="Reason"/> completes "&lt;field&gt; …", the serializer adds the field's path.</summary>
public sealed class RefusedTextException(string reason) : JsonException(reason)
{
    public string Reason { get; } = reason;
}

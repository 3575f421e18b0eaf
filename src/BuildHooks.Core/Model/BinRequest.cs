namespace BuildHooks.Core.Model;

/// <summary>One request a <see cref="Bin"/> captured.</summary>
public sealed class BinRequest
{
    public long Id { get; set; }
    public long BinId { get; set; }
    public required string Method { get; set; }

    /// <summary>The path after <c>/bins/{key}</c>, empty or starting with <c>/</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>The query string with its leading <c>?</c>, or empty.</summary>
    public string Query { get; set; } = "";

    /// <summary>Request headers, values of repeated headers joined with a comma.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    public string? ContentType { get; set; }

    /// <summary>The body as received, cut at the per-request cap.</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>The body's full length, larger than <see cref="Body"/> when it was cut.</summary>
    public long BodySize { get; set; }

    public string? RemoteAddress { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

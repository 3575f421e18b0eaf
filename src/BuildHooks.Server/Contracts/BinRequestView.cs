using BuildHooks.Core.Model;
using BuildHooks.Server.Services.Bins;

namespace BuildHooks.Server.Contracts;

/// <summary>
/// One captured request. <c>body</c> is the text when the body is UTF-8 (<c>body_encoding</c> "utf8"), otherwise
/// base64 ("base64"); <c>truncated</c> says it was cut at the bin's byte cap, <c>body_size</c> is the full length.
/// </summary>
public sealed record BinRequestView(
    long Id,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    string Body,
    string BodyEncoding,
    long BodySize,
    bool Truncated,
    string? RemoteAddress,
    DateTimeOffset ReceivedAt)
{
    public static BinRequestView From(BinRequest r)
    {
        var truncated = r.BodySize > r.Body.Length;
        var text = BinBody.Utf8Text(r.Body, truncated);
        return new(r.Id, r.Method, r.Path, r.Query, r.Headers, r.ContentType,
            text ?? Convert.ToBase64String(r.Body), text is null ? "base64" : "utf8",
            r.BodySize, truncated, r.RemoteAddress, r.ReceivedAt);
    }
}

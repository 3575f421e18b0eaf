using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

/// <summary>A request bin: <c>url</c> records whatever is sent to it, <c>page_url</c> shows it live.</summary>
public sealed record BinView(
    string Id,
    string Name,
    int ResponseStatus,
    string Url,
    string PageUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int RequestCount)
{
    public static BinView From(Bin bin, int requestCount, string url, string pageUrl) => new(
        bin.Key, bin.Name, bin.ResponseStatus, url, pageUrl, bin.CreatedAt,
        DateTimeOffset.FromUnixTimeMilliseconds(bin.ExpiresAtMs), requestCount);
}

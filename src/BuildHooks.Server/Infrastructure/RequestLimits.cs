using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// The URL and header limits of <see cref="ServerOptions"/>. Kestrel answers its own limits with a bare 414 or 431
/// before any middleware runs, so its limits are set far above these and this middleware refuses instead, with a
/// Problem Details that names the limit and what was sent.
/// </summary>
internal static class RequestLimits
{
    // What Kestrel itself still refuses without a body: only a client far past the documented limits meets these.
    private const int TransportRequestLineBytes = 64 * 1024;
    private const int TransportHeadersBytes = 128 * 1024;
    private const int TransportHeaderCount = 1000;

    public static void ConfigureTransport(KestrelServerLimits limits, ServerOptions options)
    {
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.MaxRequestLineSize = Math.Max(TransportRequestLineBytes, options.MaxUrlBytes * 2);
        limits.MaxRequestHeadersTotalSize = Math.Max(TransportHeadersBytes, options.MaxRequestHeadersBytes * 2);
        limits.MaxRequestHeaderCount = Math.Max(TransportHeaderCount, options.MaxRequestHeaders * 2);
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        return app.Use((context, next) => Refusal(context, options) is { } refusal ? refusal.ExecuteAsync(context) : next(context));
    }

    private static ProblemHttpResult? Refusal(HttpContext context, ServerOptions options)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var urlBytes = Encoding.UTF8.GetByteCount(target);
        if (urlBytes > options.MaxUrlBytes)
        {
            return Problem(StatusCodes.Status414UriTooLong, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.15", "URL too long",
                $"The URL (path and query) is {urlBytes} bytes; this server takes at most {options.MaxUrlBytes} (BuildHooks:MaxUrlBytes). " +
                "Shorten the query string, or send long values in a request body.",
                options.MaxUrlBytes, urlBytes);
        }

        var (headerCount, headerBytes) = Measure(context.Request.Headers);
        if (headerCount > options.MaxRequestHeaders)
        {
            return Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "https://www.rfc-editor.org/rfc/rfc6585#section-5", "Too many request headers",
                $"The request has {headerCount} headers; this server takes at most {options.MaxRequestHeaders} (BuildHooks:MaxRequestHeaders). " +
                "Send fewer headers.",
                options.MaxRequestHeaders, headerCount);
        }

        if (headerBytes > options.MaxRequestHeadersBytes)
        {
            return Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "https://www.rfc-editor.org/rfc/rfc6585#section-5", "Request headers too large",
                $"The request headers are {headerBytes} bytes together; this server takes at most {options.MaxRequestHeadersBytes} " +
                "(BuildHooks:MaxRequestHeadersBytes). Drop or shorten headers (large cookies, say).",
                options.MaxRequestHeadersBytes, headerBytes);
        }

        return null;
    }

    /// <summary>Header lines and their bytes as sent: "Name: value" and the line end of each.</summary>
    private static (int Count, long Bytes) Measure(IHeaderDictionary headers)
    {
        var count = 0;
        var bytes = 0L;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + ": ".Length + (value?.Length ?? 0) + "\r\n".Length;
            }
        }

        return (count, bytes);
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail, long limit, long sent) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: type,
            extensions: new Dictionary<string, object?> { ["limit"] = limit, ["sent"] = sent });
}

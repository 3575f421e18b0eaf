using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Turns what a client got wrong (unreadable JSON, a body too large, a missing body) into a 4xx
/// Problem Details that says what to fix; anything else stays a 500 for the log.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is InvalidOperationException && UnknownCharset(context.Request) is { } charset)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = { Status = 415, Title = "Unsupported charset", Detail = $"The charset {charset} is not a known encoding; send the JSON as UTF-8." },
            });
        }

        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        // A body over the limit is left without a detail for StatusProblemDetail, which names the limit.
        var detail = bad.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? null : bad.Message;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request could not be read", Detail = detail },
        });
    }

    private static string? UnknownCharset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.Charset.HasValue)
        {
            return null;
        }

        try
        {
            System.Text.Encoding.GetEncoding(type.Charset.Value!);
            return null;
        }
        catch (ArgumentException)
        {
            return type.Charset.Value;
        }
    }
}

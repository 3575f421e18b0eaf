using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Turns what a client got wrong (unreadable JSON, a field of the wrong type or unknown, a body too large, a missing body)
/// into a 4xx Problem Details that says what to fix; anything else stays a 500 for the log.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
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

        // The endpoint as it was before the exception handler cleared it: its body type names the fields.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        ProblemDetails problem;
        if (bad.InnerException is JsonException refused)
        {
            var explanation = JsonBodyProblem.Explain(refused, bodyType, json.Value.SerializerOptions);
            problem = explanation.Field is { } field
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [explanation.Detail] })
                : new ProblemDetails();
            problem.Title = explanation.Title;
            problem.Detail = explanation.Detail;
        }
        else if (bad.StatusCode == StatusCodes.Status400BadRequest && bodyType is not null && bad.InnerException is null)
        {
            // The framework's words for an empty or null body ("Implicit body inferred for parameter …") name its internals.
            problem = new ProblemDetails
            {
                Title = "A JSON body is required",
                Detail = $"This request needs a JSON body: send an object with the fields {JsonBodyProblem.Fields(bodyType, json.Value.SerializerOptions)} "
                    + "(see /docs for which are required), with 'Content-Type: application/json'.",
            };
        }
        else
        {
            // A body over the limit is left without a detail for StatusProblemDetail, which names the limit.
            problem = new ProblemDetails
            {
                Title = "The request could not be read",
                Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? null : bad.Message,
            };
        }

        problem.Status = bad.StatusCode;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
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

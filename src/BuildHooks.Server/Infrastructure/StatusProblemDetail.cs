using Microsoft.AspNetCore.Mvc.Abstractions;

namespace BuildHooks.Server.Infrastructure;

/// <summary>Framework answers (no route, wrong method, a body too large, cut short or too slow, not JSON) come without a detail; give them one a person can act on.</summary>
internal static class StatusProblemDetail
{
    public static void Fill(ProblemDetailsContext context, long maxBodyBytes)
    {
        if (context.ProblemDetails.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing answers {request.Method} {request.Path}; check the path (ids are numbers) against /docs.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}; allowed: {context.HttpContext.Response.Headers.Allow}.",
            StatusCodes.Status413PayloadTooLarge => $"The request body is too large: the limit is {maxBodyBytes} bytes (BuildHooks:MaxRequestBodyBytes)"
                + (request.ContentLength is { } sent ? $" and this one is {sent}." : "."),
            StatusCodes.Status415UnsupportedMediaType => $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType}').",
            // A web form refused bare is the antiforgery check; elsewhere Kestrel's body errors, which reach
            // minimal APIs as a bare status without their exception.
            StatusCodes.Status400BadRequest when context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ActionDescriptor>() is not null =>
                "The form could not be accepted: its antiforgery token is missing or stale, or it arrived incomplete; reload the page and submit it again.",
            StatusCodes.Status400BadRequest => "The request could not be read (a body cut short of its Content-Length, or broken chunked encoding, say); check how the client sends it.",
            StatusCodes.Status408RequestTimeout => "The request body did not arrive in time: fewer bytes came than its Content-Length announced, or they came too slowly.",
            _ => null,
        };
    }
}

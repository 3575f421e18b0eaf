namespace BuildHooks.Server.Infrastructure;

/// <summary>Framework answers (no route, wrong method, body too large, not JSON) come without a detail; give them one a person can act on.</summary>
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
            StatusCodes.Status413PayloadTooLarge => $"The request body is too large: the limit is {maxBodyBytes} bytes (BuildHooks:MaxRequestBodyBytes).",
            StatusCodes.Status415UnsupportedMediaType => $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType}').",
            _ => null,
        };
    }
}

using Microsoft.AspNetCore.Diagnostics;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// An exception that is not the server's fault, answered with one fixed Problem Details instead of a 500. Each reason is
/// a subclass that says which exceptions it takes and what the client should do.
/// </summary>
internal abstract class ProblemExceptionHandler(IProblemDetailsService problems, int status, string title, string detail) : IExceptionHandler
{
    protected abstract bool Handles(Exception exception);

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!Handles(exception))
        {
            return false;
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

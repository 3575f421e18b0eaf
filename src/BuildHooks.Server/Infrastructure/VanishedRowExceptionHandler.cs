using BuildHooks.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// A request that raced a delete (testing a hook while its project is deleted) gets a 409 that says
/// so, instead of a 500: the client did nothing wrong but must look again.
/// </summary>
internal sealed class VanishedRowExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!VanishedRow.Caused(exception))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Deleted meanwhile",
                Detail = "Something this request refers to (a project, hook, build or delivery) was deleted while it ran; nothing was changed. Fetch it again before retrying.",
            },
        });
    }
}

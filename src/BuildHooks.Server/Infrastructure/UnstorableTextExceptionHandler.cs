using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// The net under the text checks: a NUL character that reached PostgreSQL in a value no check covered (a web form, a
/// query string) is a 400 that says what to remove, not a 500. PostgreSQL cannot store or even compare it (22021);
/// SQLite can, which is why the checks, not this, decide what is valid.
/// </summary>
internal sealed class UnstorableTextExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!Holds(exception))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Control character in the request",
                Detail = "A value in this request holds a NUL character (U+0000), which no field can hold; remove it and send the request again. Nothing was changed.",
            },
        });
    }

    private static bool Holds(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire })
            {
                return true;
            }
        }

        return false;
    }
}

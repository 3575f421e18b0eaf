using BuildHooks.Storage;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// The net under the text checks: a NUL character that reached PostgreSQL in a value no check covered (a web form, a
/// query string) is a 400 that says what to remove, not a 500.
/// </summary>
internal sealed class UnstorableTextExceptionHandler(IProblemDetailsService problems) : ProblemExceptionHandler(problems,
    StatusCodes.Status400BadRequest,
    "Control character in the request",
    "A value in this request holds a NUL character (U+0000), which no field can hold; remove it and send the request again. Nothing was changed.")
{
    protected override bool Handles(Exception exception) => UnstorableText.Caused(exception);
}

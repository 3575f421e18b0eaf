using BuildHooks.Storage;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// A request that raced a delete (testing a hook while its project is deleted) gets a 409 that says
/// so, instead of a 500: the client did nothing wrong but must look again.
/// </summary>
internal sealed class VanishedRowExceptionHandler(IProblemDetailsService problems) : ProblemExceptionHandler(problems,
    StatusCodes.Status409Conflict,
    "Deleted meanwhile",
    "Something this request refers to (a project, hook, build or delivery) was deleted while it ran; nothing was changed. Fetch it again before retrying.")
{
    protected override bool Handles(Exception exception) => VanishedRow.Caused(exception);
}

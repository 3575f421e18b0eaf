namespace BuildHooks.Server.Apis;

/// <summary>404 answers that name what was not found.</summary>
internal static class NotFound
{
    public static ProblemHttpResult Problem(string what, long id) =>
        TypedResults.Problem(statusCode: 404, title: $"{what} not found", detail: $"There is no {what.ToLowerInvariant()} with id {id}.");
}

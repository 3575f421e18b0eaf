using System.Security.Claims;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Apis;

/// <summary>
/// Finds a project by its key (Ship.io's job id, e.g. <c>AQ_9V0GKpZ8Zkjj_</c>), so CI can name a project by the key
/// it was given. Open to the project's own report token, which may not list projects.
/// </summary>
public static class ProjectLookupApi
{
    public static IEndpointRouteBuilder MapProjectLookupApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/projects/by-key/{key}", GetAsync).WithTags("Projects").RequireAuthorization(Policies.Reporter);
        return app;
    }

    private static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> GetAsync(string key, ClaimsPrincipal user, BuildHooksDb db, CancellationToken cancellationToken)
    {
        if (await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Key == key, cancellationToken) is not { } project)
        {
            return TypedResults.Problem(statusCode: 404, title: "Project not found", detail: $"There is no project with key '{key}'; 'buildhooks projects list' shows each project's id and key.");
        }

        return user.MayReport(project.Id)
            ? TypedResults.Ok(ProjectView.From(project))
            : TypedResults.Problem(statusCode: 403, title: "Not allowed with this token", detail: "A report token may only look up its own project.");
    }
}

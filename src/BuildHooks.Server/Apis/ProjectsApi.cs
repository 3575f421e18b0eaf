using BuildHooks.Core.Model;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Apis;

public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.Admin);
        api.MapPost("/", CreateAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapPatch("/{id:long}", UpdateAsync);
        api.MapDelete("/{id:long}", DeleteAsync);
        return app;
    }

    private static async Task<Results<Created<ProjectView>, ValidationProblem>> CreateAsync(
        ProjectWrite body, BuildHooksDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var validation = body.Validate(creating: true);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var token = "bhr_" + TokenHash.NewToken();
        var project = body.ToProject(token, time.GetUtcNow());
        db.Projects.Add(project);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/projects/{project.Id}", ProjectView.From(project) with { ReportToken = token });
    }

    private static async Task<Ok<List<ProjectView>>> ListAsync(BuildHooksDb db, CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(projects.Select(ProjectView.From).ToList());
    }

    private static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> GetAsync(long id, BuildHooksDb db, CancellationToken cancellationToken) =>
        await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is { } project
            ? TypedResults.Ok(ProjectView.From(project))
            : NotFound.Problem("Project", id);

    private static async Task<Results<Ok<ProjectView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, ProjectWrite body, BuildHooksDb db, CancellationToken cancellationToken)
    {
        var validation = body.Validate(creating: false);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (await db.Projects.FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } project)
        {
            return NotFound.Problem("Project", id);
        }

        body.ApplyTo(project);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ProjectView.From(project));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, BuildHooksDb db, WriteGate writes, ReportTokens tokens, CancellationToken cancellationToken)
    {
        var deleted = await db.DeleteAsync(writes, () => db.Projects.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        tokens.Forget(id);
        return deleted > 0 ? TypedResults.NoContent() : NotFound.Problem("Project", id);
    }
}

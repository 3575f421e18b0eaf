using BuildHooks.Core.Model;
using BuildHooks.Delivery.Intake;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace BuildHooks.Server.Apis;

public static class BuildsApi
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api").WithTags("Builds").RequireAuthorization(Policies.Reporter);
        reports.MapPost("/projects/{projectId:long}/builds", ReportAsync);
        reports.MapPatch("/builds/{id:long}", FinishAsync);

        var reads = app.MapGroup("/api").WithTags("Builds").RequireAuthorization(Policies.Admin);
        reads.MapGet("/projects/{projectId:long}/builds", ListAsync);
        reads.MapGet("/builds/{id:long}", GetAsync);
        return app;
    }

    private static async Task<Results<Created<BuildView>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        long projectId, BuildReport body, ClaimsPrincipal user, BuildReporter reporter, PublicUrls urls,
        CancellationToken cancellationToken)
    {
        if (!user.MayReport(projectId))
        {
            return Forbidden();
        }

        var validation = body.Validate();
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var (outcome, build, deliveries) = await reporter.ReportAsync(projectId, body, cancellationToken);
        return outcome switch
        {
            BuildOutcome.ProjectMissing => NotFound.Problem("Project", projectId),
            BuildOutcome.NumberTaken => TypedResults.Problem(statusCode: 409, title: "Build number taken",
                detail: body.Number is { } n
                    ? $"Project {projectId} already has build #{n}; leave number out to take the next one."
                    : $"Project {projectId} has used up build numbers; give a free number explicitly."),
            _ => TypedResults.Created($"/api/builds/{build.Id}", BuildView.From(build, urls.Build(projectId, build.Id), deliveries)),
        };
    }

    private static async Task<Results<Ok<BuildView>, ValidationProblem, ProblemHttpResult>> FinishAsync(
        long id, BuildFinish body, ClaimsPrincipal user, BuildHooksDb db, BuildReporter reporter, PublicUrls urls,
        CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } build)
        {
            return NotFound.Problem("Build", id);
        }

        if (!user.MayReport(build.ProjectId))
        {
            return Forbidden();
        }

        var validation = body.Validate(build.StartedAt);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (build.Status != BuildStatus.Running)
        {
            return TypedResults.Problem(statusCode: 409, title: "Build already finished",
                detail: $"Build {id} finished as {build.Status.ToString().ToLowerInvariant()}; only a running build can be finished.");
        }

        if (await reporter.FinishAsync(build, body, cancellationToken) is not { } deliveries)
        {
            return TypedResults.Problem(statusCode: 409, title: "Build already finished", detail: $"Build {id} finished meanwhile; only a running build can be finished.");
        }

        return TypedResults.Ok(BuildView.From(build, urls.Build(build.ProjectId, build.Id), deliveries));
    }

    private static async Task<Results<Ok<List<BuildView>>, ProblemHttpResult>> ListAsync(
        long projectId, string? limit, string? before, BuildHooksDb db, PublicUrls urls, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(limit, before, out var page, out var refused))
        {
            return refused!;
        }

        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
        {
            return NotFound.Problem("Project", projectId);
        }

        var from = page.Before;
        var builds = await db.Builds.AsNoTracking()
            .Where(b => b.ProjectId == projectId && b.Id < from)
            .OrderByDescending(b => b.Id).Take(page.Limit)
            .Select(b => new { Build = b, Deliveries = db.Deliveries.Count(d => d.BuildId == b.Id && d.Kind == DeliveryKind.Live) })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(builds.Select(b => BuildView.From(b.Build, urls.Build(projectId, b.Build.Id), b.Deliveries)).ToList());
    }

    private static async Task<Results<Ok<BuildView>, ProblemHttpResult>> GetAsync(long id, BuildHooksDb db, PublicUrls urls, CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } build)
        {
            return NotFound.Problem("Build", id);
        }

        var deliveries = await db.Deliveries.CountAsync(d => d.BuildId == id && d.Kind == DeliveryKind.Live, cancellationToken);
        return TypedResults.Ok(BuildView.From(build, urls.Build(build.ProjectId, id), deliveries));
    }

    private static ProblemHttpResult Forbidden() => TypedResults.Problem(statusCode: 403, title: "Not allowed with this token",
        detail: "A report token may only report builds of its own project.");
}

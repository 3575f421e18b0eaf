using BuildHooks.Core.Model;
using BuildHooks.Delivery.Intake;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using System.Security.Claims;

namespace BuildHooks.Server.Apis;

public static class BuildsApi
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api").WithTags("Builds").RequireAuthorization(Policies.Reporter);
        reports.MapPost("/projects/{projectId:long}/builds", ReportAsync).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            // Read from the request by IdempotencyKeyHeader (so that a bad one is a 400 that says why), not bound: documented here.
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeyHeader.Name,
                In = ParameterLocation.Header,
                Description = "Your name for this build (a GUID per CI run), 1-255 printable ASCII characters. A report whose key names a build "
                    + "the project has records nothing new: it finishes that build if it is running and this report is finished (200), "
                    + "else answers 200 with the build and Idempotent-Replayed: true; if it names another commit, branch or number, "
                    + "422 Problem Details that say what differs.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeyHeader.MaxLength },
            });
            return Task.CompletedTask;
        });
        reports.MapPatch("/builds/{id:long}", FinishAsync);

        var reads = app.MapGroup("/api").WithTags("Builds").RequireAuthorization(Policies.Admin);
        reads.MapGet("/projects/{projectId:long}/builds", ListAsync);
        reads.MapGet("/builds/{id:long}", GetAsync);
        return app;
    }

    private static async Task<Results<Created<BuildView>, Ok<BuildView>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        long projectId, BuildReport body, HttpContext http, BuildReporter reporter, ReportKeyLocks keys, BuildHooksDb db, PublicUrls urls,
        CancellationToken cancellationToken)
    {
        if (!http.User.MayReport(projectId))
        {
            return Forbidden();
        }

        if (!IdempotencyKeyHeader.TryRead(http.Request, out var key, out var refused))
        {
            return refused!;
        }

        var validation = body.Validate();
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        // One report per key at a time in this process. The intake looks the key up under the project's lock, so a build
        // recorded with it earlier, here or by another node, is found there (KeyTaken) and nothing new is recorded.
        using var held = key is null ? null : await keys.TakeAsync(projectId, key, cancellationToken);
        var recorded = await reporter.ReportAsync(projectId, body, key, cancellationToken);
        if (recorded.Outcome != BuildOutcome.KeyTaken)
        {
            return Recorded(projectId, body, recorded, urls);
        }

        // Gone again only if its project was deleted meanwhile.
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == recorded.Build.Id, cancellationToken) is not { } earlier)
        {
            return NotFound.Problem("Project", projectId);
        }

        return await ReachAsync(earlier, body, http.Response, reporter, db, urls, cancellationToken);
    }

    /// <summary>
    /// A report whose key names a build already recorded: one that names another commit, branch or number is refused (422, as
    /// the IETF Idempotency-Key draft has it for a key reused with another payload), since its build would otherwise be lost
    /// silently; a finished report finishes that build if it is still running, as PATCH /api/builds/{id} would (same checks,
    /// its hooks fire once); anything else answers with the build as it stands and sends nothing again.
    /// </summary>
    private static async Task<Results<Created<BuildView>, Ok<BuildView>, ValidationProblem, ProblemHttpResult>> ReachAsync(
        Build earlier, BuildReport body, HttpResponse response, BuildReporter reporter, BuildHooksDb db, PublicUrls urls, CancellationToken cancellationToken)
    {
        if (body.Contradictions(earlier) is { Count: > 0 } contradictions)
        {
            return TypedResults.Problem(statusCode: 422, title: "Idempotency-Key reused",
                detail: $"Idempotency-Key '{earlier.IdempotencyKey}' was first used for build #{earlier.Number} (commit {earlier.Commit} on branch {earlier.Branch}); "
                    + $"this report names {string.Join(" and ", contradictions)}. Send a new key for a new build, or resend the first report unchanged.");
        }

        if (earlier.Status == BuildStatus.Running && body.EffectiveStatus != BuildStatus.Running)
        {
            var finish = body.AsFinish();
            var validation = finish.Validate(earlier.StartedAt);
            if (!validation.IsValid)
            {
                return validation.Problem();
            }

            if (await reporter.FinishAsync(earlier, finish, cancellationToken) is { } finished)
            {
                return TypedResults.Ok(BuildView.From(earlier, urls.Build(earlier.ProjectId, earlier.Id), finished));
            }

            // Finished meanwhile by a PATCH or another node: what it is now is the answer.
            if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == earlier.Id, cancellationToken) is not { } now)
            {
                return NotFound.Problem("Build", earlier.Id);
            }

            earlier = now;
        }

        response.Headers[IdempotencyKeyHeader.Replayed] = "true";
        var deliveries = await db.Deliveries.CountAsync(d => d.BuildId == earlier.Id && d.Kind == DeliveryKind.Live, cancellationToken);
        return TypedResults.Ok(BuildView.From(earlier, urls.Build(earlier.ProjectId, earlier.Id), deliveries));
    }

    private static Results<Created<BuildView>, Ok<BuildView>, ValidationProblem, ProblemHttpResult> Recorded(
        long projectId, BuildReport body, (BuildOutcome Outcome, Build Build, int Deliveries) recorded, PublicUrls urls)
    {
        var (outcome, build, deliveries) = recorded;
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

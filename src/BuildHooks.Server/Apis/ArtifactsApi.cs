using System.Security.Claims;
using BuildHooks.Core.Model;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services.Artifacts;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace BuildHooks.Server.Apis;

public static class ArtifactsApi
{
    public static IEndpointRouteBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        // The same callers as reporting: whoever may report a build may attach its files and see them.
        var api = app.MapGroup("/api/builds/{id:long}/artifacts").WithTags("Artifacts").RequireAuthorization(Policies.Reporter);
        api.MapPost("/", UploadAsync).DisableAntiforgery();
        api.MapGet("/", ListAsync);

        // No bearer token here: the build access token in the URL is the credential, so a receiver can simply GET it.
        app.MapMethods("/builds/{build:guid}/artifacts/{artifact:guid}/{name}", [HttpMethods.Get, HttpMethods.Head], DownloadAsync)
            .WithTags("Artifacts").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Created<ArtifactView>, ProblemHttpResult>> UploadAsync(
        long id, HttpRequest request, ClaimsPrincipal user, BuildHooksDb db, WriteGate writes, ArtifactReceiver receiver,
        ArtifactStore store, ArtifactLinks links, CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } build)
        {
            return NotFound.Problem("Build", id);
        }

        if (!user.MayReport(build.ProjectId))
        {
            return Forbidden();
        }

        if (build.Status != BuildStatus.Running)
        {
            return NotRunning(build);
        }

        var upload = await receiver.ReceiveAsync(request, build, cancellationToken);
        if (upload.Artifact is not { } artifact)
        {
            return TypedResults.Problem(statusCode: upload.Status, title: upload.Title, detail: upload.Detail);
        }

        // Checked again at the insert: a build that finished during the upload has already sent its payloads.
        var recorded = await db.WriteAsync(writes, async () =>
        {
            if (!await db.Builds.AnyAsync(b => b.Id == id && b.Status == BuildStatus.Running, cancellationToken))
            {
                return false;
            }

            db.Artifacts.Add(artifact);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        if (!recorded)
        {
            store.Delete(artifact.StoragePath);
            return NotRunning(build);
        }

        return TypedResults.Created($"/api/builds/{id}/artifacts", ArtifactView.From(artifact, links.DownloadUrl(build, artifact)));
    }

    private static async Task<Results<Ok<List<ArtifactView>>, ProblemHttpResult>> ListAsync(
        long id, ClaimsPrincipal user, BuildHooksDb db, ArtifactLinks links, CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } build)
        {
            return NotFound.Problem("Build", id);
        }

        if (!user.MayReport(build.ProjectId))
        {
            return Forbidden();
        }

        var artifacts = await db.Artifacts.AsNoTracking().Where(a => a.BuildId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(artifacts.Select(a => ArtifactView.From(a, links.DownloadUrl(build, a))).ToList());
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid build, Guid artifact, string name, HttpContext context, BuildHooksDb db, BuildAccessTokens tokens, ArtifactStore store,
        CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Uuid == build, cancellationToken) is not { } owner)
        {
            return Missing();
        }

        // The token is checked before the artifact is looked up, so without it nothing about the build's files can be learnt.
        if (tokens.Refusal(owner, context.Request.Query[ArtifactLinks.TokenParameter]) is { } refusal)
        {
            return TypedResults.Problem(statusCode: 403, title: "Build access token refused", detail: refusal);
        }

        var file = await db.Artifacts.AsNoTracking().FirstOrDefaultAsync(a => a.Uuid == artifact && a.BuildId == owner.Id, cancellationToken);
        if (file is null || !string.Equals(file.Name, name, StringComparison.Ordinal) || !File.Exists(store.FullPath(file.StoragePath)))
        {
            return Missing();
        }

        // Always a download, never rendered: an uploaded HTML page must not run on this server's origin.
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox";
        return TypedResults.PhysicalFile(store.FullPath(file.StoragePath), file.ContentType, file.Name, file.CreatedAt,
            new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);
    }

    private static ProblemHttpResult Missing() => TypedResults.Problem(statusCode: 404, title: "Artifact not found",
        detail: "No artifact of this build has this id and name; use a download_url exactly as the payload or GET /api/builds/{id}/artifacts gives it.");

    private static ProblemHttpResult NotRunning(Build build) => TypedResults.Problem(statusCode: 409, title: "Build already finished",
        detail: $"Build {build.Id} finished as {build.Status.ToString().ToLowerInvariant()}; artifacts are uploaded while a build runs "
            + "(open it with status 'running', upload, then finish it with PATCH /api/builds/{id}), so that its hooks carry them.");

    private static ProblemHttpResult Forbidden() => TypedResults.Problem(statusCode: 403, title: "Not allowed with this token",
        detail: "A report token may only handle builds of its own project.");
}

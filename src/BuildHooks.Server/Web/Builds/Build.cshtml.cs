using BuildHooks.Core.Model;
using BuildHooks.Server.Services.Artifacts;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Builds;

/// <summary>A build's page, the target of build_url in every payload: details, artifacts, and the deliveries it caused.</summary>
public sealed class BuildModel(BuildHooksDb db, ArtifactLinks links) : PageModel
{
    public sealed record ArtifactRow(Artifact Artifact, string? DownloadUrl);

    public sealed record DeliveryLine(BuildHooks.Core.Model.Delivery Delivery, Hook? Hook);

    public Project Project { get; private set; } = null!;
    public Build Build { get; private set; } = null!;
    public List<ArtifactRow> Artifacts { get; private set; } = [];
    public List<DeliveryLine> Deliveries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long projectId, long buildId, CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == buildId && b.ProjectId == projectId, cancellationToken) is not { } build)
        {
            return NotFoundPage.For(this, $"build {buildId} in project {projectId}");
        }

        Build = build;
        // The project may have been deleted (taking the build) since the read above.
        if (await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken) is not { } project)
        {
            return NotFoundPage.For(this, $"build {buildId} in project {projectId}");
        }

        Project = project;
        // Builds made before artifacts have no access token, so no link can open their files.
        Artifacts = (await db.Artifacts.AsNoTracking().Where(a => a.BuildId == buildId).OrderBy(a => a.Name).ToListAsync(cancellationToken))
            .Select(a => new ArtifactRow(a, build.AccessToken is null ? null : links.DownloadUrl(build, a))).ToList();
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.BuildId == buildId).OrderByDescending(d => d.Id).Take(200).ToListAsync(cancellationToken);
        var hookIds = deliveries.Select(d => d.HookId).Distinct().ToList();
        var hooks = await db.Hooks.AsNoTracking().Where(h => hookIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);
        Deliveries = deliveries.Select(d => new DeliveryLine(d, hooks.GetValueOrDefault(d.HookId))).ToList();
        return Page();
    }
}

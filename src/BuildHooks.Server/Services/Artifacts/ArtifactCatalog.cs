using BuildHooks.Core.Model;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>A build's artifacts as payloads list them, read when a running build finishes (the only time a build can have any).</summary>
public sealed class ArtifactCatalog(IServiceScopeFactory scopes, ArtifactLinks links)
{
    public async Task<IReadOnlyList<ArtifactLink>> LinksAsync(Build build, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        var artifacts = await db.Artifacts.AsNoTracking().Where(a => a.BuildId == build.Id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return artifacts.Select(a => links.Link(build, a)).ToList();
    }
}

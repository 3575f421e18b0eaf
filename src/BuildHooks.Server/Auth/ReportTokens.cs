using System.Collections.Concurrent;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Auth;

/// <summary>Finds the project a report token belongs to, remembering answers so CI reports cost no extra query.</summary>
public sealed class ReportTokens(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, long> _projects = new(StringComparer.Ordinal);

    public async Task<long?> ProjectOfAsync(string token, CancellationToken cancellationToken)
    {
        var hash = TokenHash.Hex(token);
        if (_projects.TryGetValue(hash, out var cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        var id = await db.Projects.Where(p => p.ReportTokenHash == hash).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is { } found)
        {
            _projects[hash] = found;
        }

        return id;
    }

    /// <summary>Forgets a project's token (deleted project or rotated token).</summary>
    public void Forget(long projectId)
    {
        foreach (var entry in _projects.Where(e => e.Value == projectId))
        {
            _projects.TryRemove(entry);
        }
    }
}

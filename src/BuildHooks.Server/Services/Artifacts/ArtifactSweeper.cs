using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>
/// Deleting a project deletes its builds' artifact rows with them (a cascade in the database), but not the files:
/// this removes the folders of builds that no longer exist, and half-written uploads that a crash left behind.
/// </summary>
public sealed partial class ArtifactSweeper(
    ArtifactStore store, IServiceScopeFactory scopes, IOptions<ArtifactOptions> options, TimeProvider time, ILogger<ArtifactSweeper> logger) : BackgroundService
{
    /// <summary>An upload still being written is younger than this; an older partial file is a leftover.</summary>
    private static readonly TimeSpan PartialAge = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the next start sweeps again.
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(store.Root))
        {
            return;
        }

        var folders = Directory.GetDirectories(store.Root)
            .Select(path => (Path: path, Build: Guid.TryParse(Path.GetFileName(path), out var uuid) ? uuid : (Guid?)null))
            .Where(f => f.Build is not null)
            .ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        foreach (var chunk in folders.Chunk(500))
        {
            var uuids = chunk.Select(f => f.Build!.Value).ToList();
            var alive = (await db.Builds.AsNoTracking().Where(b => uuids.Contains(b.Uuid)).Select(b => b.Uuid).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var (path, build) in chunk)
            {
                if (!alive.Contains(build!.Value))
                {
                    Directory.Delete(path, recursive: true);
                    LogRemoved(build.Value);
                }
                else
                {
                    RemoveStalePartials(path);
                }
            }
        }
    }

    private void RemoveStalePartials(string folder)
    {
        foreach (var partial in Directory.EnumerateFiles(folder, "*.partial"))
        {
            if (time.GetUtcNow() - File.GetLastWriteTimeUtc(partial) > PartialAge)
            {
                File.Delete(partial);
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Removed the artifact files of deleted build {Build}")]
    private partial void LogRemoved(Guid build);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Sweeping artifact files failed; trying again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}

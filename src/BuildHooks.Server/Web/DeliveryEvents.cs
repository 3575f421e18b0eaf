using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using BuildHooks.Core.Model;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Server.Web.Hooks;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web;

/// <summary>
/// The hook page's live log: a server-sent event naming each delivery that is new or has changed, and one naming
/// the hook's state when it is turned off or on (by a person or by the dispatcher), which the page then fetches
/// as rendered fragments.
/// </summary>
public static class DeliveryEvents
{
    private const int Watched = 50;

    /// <summary>The most deliveries a page may ask to be watched besides the newest: it shows at most 50, and one opened.</summary>
    private const int MostShown = 60;

    /// <summary>How often the log looks without being woken: for changes made by another process.</summary>
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(15);

    /// <param name="shown">The ids the page shows, comma-separated: an older page, a filtered one or a delivery opened by
    /// <c>?delivery=</c> shows some below the newest 50, whose changes would otherwise never reach it.</param>
    public static async Task<IResult> StreamAsync(long hookId, string? shown, IServiceScopeFactory scopes, HookActivity activity, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<BuildHooksDb>().Hooks.AnyAsync(h => h.Id == hookId, cancellationToken))
            {
                return Results.NotFound();
            }
        }

        var ids = (shown ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(id => id > 0).Distinct().Take(MostShown).ToList();
        return TypedResults.ServerSentEvents(ChangesAsync(hookId, ids, scopes, activity, cancellationToken));
    }

    /// <summary>"id status attempts", as the page keeps it in each entry's data-state.</summary>
    public static string State(long id, DeliveryStatus status, int attempts) =>
        string.Create(CultureInfo.InvariantCulture, $"{id} {Display.Lower(status)} {attempts}");

    /// <summary>
    /// Reads the hook's latest deliveries when <see cref="HookActivity"/> says they changed in this process, and
    /// every <see cref="Fallback"/> anyway for changes another process made (the CLI, a second node), so an idle
    /// page costs nothing and a busy one sees each attempt as soon as it is written.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> ChangesAsync(
        long hookId, List<long> shown, IServiceScopeFactory scopes, HookActivity activity, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<long, (DeliveryStatus Status, int Attempts)>? seen = null;
        string? seenHook = null;
        // Sent at once (the browser reports the stream open only on its first bytes) and now and then, so idle proxies keep it.
        yield return new SseItem<string>("", "ready");
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before the read: a change written while the read runs still wakes the next wait.
            var changed = activity.NextChangeAsync(hookId);
            List<(long Id, DeliveryStatus Status, int Attempts)> rows;
            string? hook;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
                // Whoever turns a hook off or on (HookControl, the attempt writer) touches it, as for a delivery.
                hook = await db.Hooks.AsNoTracking().Where(h => h.Id == hookId)
                    .Select(h => HookState.Of(h.Enabled, h.DisabledAt)).FirstOrDefaultAsync(cancellationToken);
                var watched = db.Deliveries.AsNoTracking().Where(d => d.HookId == hookId);
                var newest = await watched.OrderByDescending(d => d.Id).Take(Watched)
                    .Select(d => new { d.Id, d.Status, d.AttemptCount }).ToListAsync(cancellationToken);
                var older = shown.Count == 0 ? [] : await watched.Where(d => shown.Contains(d.Id))
                    .Select(d => new { d.Id, d.Status, d.AttemptCount }).ToListAsync(cancellationToken);
                rows = newest.Concat(older).DistinctBy(d => d.Id).Select(d => (d.Id, d.Status, d.AttemptCount)).ToList();
            }

            // Named on the first look too, for the page to compare with what it rendered.
            if (hook is not null && hook != seenHook)
            {
                yield return new SseItem<string>(hook, "hook");
                seenHook = hook;
            }

            var current = rows.ToDictionary(r => r.Id, r => (r.Status, r.Attempts));
            foreach (var (id, status, attempts) in rows.OrderBy(r => r.Id))
            {
                // The first look names every watched delivery: the page compares each with what it rendered, so
                // nothing that changed between rendering and connecting is missed.
                if (seen is null || !seen.TryGetValue(id, out var before) || before != (status, attempts))
                {
                    yield return new SseItem<string>(State(id, status, attempts), "delivery");
                }
            }

            seen = current;
            if (!await WaitAsync(changed, cancellationToken))
            {
                yield return new SseItem<string>("", "ping");
            }
        }
    }

    /// <summary>True when woken by a change, false when the fallback time passed.</summary>
    private static async Task<bool> WaitAsync(Task changed, CancellationToken cancellationToken)
    {
        try
        {
            await changed.WaitAsync(Fallback, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

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

    /// <summary>How often the log looks without being woken: for changes made by another process.</summary>
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(15);

    public static async Task<IResult> StreamAsync(long hookId, IServiceScopeFactory scopes, HookActivity activity, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<BuildHooksDb>().Hooks.AnyAsync(h => h.Id == hookId, cancellationToken))
            {
                return Results.NotFound();
            }
        }

        return TypedResults.ServerSentEvents(ChangesAsync(hookId, scopes, activity, cancellationToken));
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
        long hookId, IServiceScopeFactory scopes, HookActivity activity, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                rows = (await db.Deliveries.AsNoTracking().Where(d => d.HookId == hookId)
                    .OrderByDescending(d => d.Id).Take(Watched)
                    .Select(d => new { d.Id, d.Status, d.AttemptCount })
                    .ToListAsync(cancellationToken))
                    .Select(d => (d.Id, d.Status, d.AttemptCount)).ToList();
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

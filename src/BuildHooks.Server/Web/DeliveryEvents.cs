using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using BuildHooks.Core.Model;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web;

/// <summary>
/// The hook page's live log: a server-sent event naming each delivery that is new or has changed, which the
/// page then fetches as a rendered fragment.
/// </summary>
public static class DeliveryEvents
{
    private const int Watched = 50;

    public static async Task<IResult> StreamAsync(long hookId, IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<BuildHooksDb>().Hooks.AnyAsync(h => h.Id == hookId, cancellationToken))
            {
                return Results.NotFound();
            }
        }

        return TypedResults.ServerSentEvents(ChangesAsync(hookId, scopes, cancellationToken));
    }

    /// <summary>"id status attempts", as the page keeps it in each entry's data-state.</summary>
    public static string State(long id, DeliveryStatus status, int attempts) =>
        string.Create(CultureInfo.InvariantCulture, $"{id} {Display.Lower(status)} {attempts}");

    /// <summary>
    /// First slice: polls the database once a second for the hook's latest deliveries. Cheap (one indexed query
    /// per open page), but a signal from the attempt writer would make it instant and free when nothing happens.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> ChangesAsync(
        long hookId, IServiceScopeFactory scopes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<long, (DeliveryStatus Status, int Attempts)>? seen = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var ticks = 0;
        // Sent at once (the browser reports the stream open only on its first bytes) and now and then, so idle proxies keep it.
        yield return new SseItem<string>("", "ready");
        do
        {
            if (++ticks % 15 == 0)
            {
                yield return new SseItem<string>("", "ping");
            }

            List<(long Id, DeliveryStatus Status, int Attempts)> rows;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
                rows = (await db.Deliveries.AsNoTracking().Where(d => d.HookId == hookId)
                    .OrderByDescending(d => d.Id).Take(Watched)
                    .Select(d => new { d.Id, d.Status, d.AttemptCount })
                    .ToListAsync(cancellationToken))
                    .Select(d => (d.Id, d.Status, d.AttemptCount)).ToList();
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
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}

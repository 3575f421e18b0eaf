using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Bins;

/// <summary>
/// The bin page's live list: a server-sent event naming each newly captured request, which the page then
/// fetches as a rendered fragment. The stream sleeps until the capture endpoint signals the bin, so an idle
/// page costs nothing; it also looks every few seconds, for captures taken by another node.
/// </summary>
public static class BinEvents
{
    private static readonly TimeSpan LookAnyway = TimeSpan.FromSeconds(5);

    public static async Task<IResult> StreamAsync(string key, IServiceScopeFactory scopes, BinSignal signal, CancellationToken cancellationToken)
    {
        long binId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<BinStore>().FindAsync(key, cancellationToken) is not { } bin)
            {
                return Results.NotFound();
            }

            binId = bin.Id;
        }

        return TypedResults.ServerSentEvents(CapturesAsync(binId, scopes, signal, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> CapturesAsync(
        long binId, IServiceScopeFactory scopes, BinSignal signal, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Sent at once: the browser reports the stream open only on its first bytes.
        yield return new SseItem<string>("", "ready");
        long? seen = null;
        var quiet = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before the read, so a capture committed during it still wakes the next wait.
            var next = signal.Next(binId);
            List<long> ids;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
                // The first look names the newest page-full: the page skips those it rendered, so nothing
                // captured between rendering and connecting is missed.
                var after = seen ?? 0;
                var query = db.BinRequests.AsNoTracking().Where(r => r.BinId == binId && r.Id > after).OrderByDescending(r => r.Id).Take(BinModel.Shown);
                ids = await query.Select(r => r.Id).ToListAsync(cancellationToken);
            }

            foreach (var id in ids.Order())
            {
                yield return new SseItem<string>(id.ToString(CultureInfo.InvariantCulture), "request");
            }

            seen = ids.Count > 0 ? Math.Max(seen ?? 0, ids.Max()) : seen ?? 0;
            bool woken;
            try
            {
                await next.WaitAsync(LookAnyway, cancellationToken);
                woken = true;
            }
            catch (TimeoutException)
            {
                woken = false;
            }

            // Now and then, so idle proxies keep the stream.
            if (!woken && ++quiet % 3 == 0)
            {
                yield return new SseItem<string>("", "ping");
            }
        }
    }
}

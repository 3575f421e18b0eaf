using BuildHooks.Server.Contracts;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Hooks;

/// <summary>Reads deliveries with their builds and attempts for the hook page and its live fragments.</summary>
public static class DeliveryLog
{
    public static async Task<List<DeliveryRow>> ReadAsync(BuildHooksDb db, IQueryable<BuildHooks.Core.Model.Delivery> deliveries, CancellationToken cancellationToken)
    {
        var rows = await deliveries.AsNoTracking().OrderByDescending(d => d.Id).ToListAsync(cancellationToken);
        var ids = rows.Select(d => d.Id).ToList();
        var buildIds = rows.Where(d => d.BuildId is not null).Select(d => d.BuildId!.Value).Distinct().ToList();
        var attempts = (await db.Attempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(cancellationToken))
            .OrderBy(a => a.Number).ThenBy(a => a.Id)
            .ToLookup(a => a.DeliveryId, AttemptView.From);
        var builds = await db.Builds.AsNoTracking().Where(b => buildIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, cancellationToken);
        return rows.Select(d => new DeliveryRow(d, d.BuildId is { } b ? builds.GetValueOrDefault(b) : null, attempts[d.Id].ToList())).ToList();
    }
}

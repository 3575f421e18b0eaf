using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Storage.Retention;

/// <summary>
/// Deletes expired request bins with their captures, a small batch per write transaction: a bin may hold a
/// thousand captured bodies, and deleting them all in one go would keep deliveries from the writer.
/// Plain EF Core, so it runs unchanged on every database the storage supports.
/// </summary>
public sealed class BinPruner(BuildHooksDb db, WriteGate gate)
{
    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> captures of bins expired at <paramref name="now"/>, then those
    /// of the bins that are left empty. Returns how many rows went; 0 means there is nothing left to prune.
    /// </summary>
    public async Task<int> PruneBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        // Read outside the write: only ids, on the index over expires_at_ms.
        var expired = await db.Bins.AsNoTracking().Where(b => b.ExpiresAtMs <= nowMs)
            .OrderBy(b => b.ExpiresAtMs).Select(b => b.Id).Take(batchSize).ToListAsync(cancellationToken);
        if (expired.Count == 0)
        {
            return 0;
        }

        return await db.WriteAsync(gate, async () =>
        {
            var captures = await db.BinRequests.Where(r => expired.Contains(r.BinId))
                .OrderBy(r => r.Id).Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            if (captures == batchSize)
            {
                return captures;
            }

            // Deleting a bin that still has captures would cascade past the batch size; the next batch gets it.
            var bins = await db.Bins.Where(b => expired.Contains(b.Id) && !db.BinRequests.Any(r => r.BinId == b.Id))
                .ExecuteDeleteAsync(cancellationToken);
            return captures + bins;
        }, cancellationToken);
    }
}

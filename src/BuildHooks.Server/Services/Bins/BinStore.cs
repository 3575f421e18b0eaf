using BuildHooks.Core.Model;
using BuildHooks.Server.Contracts;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services.Bins;

/// <summary>Creating, finding and deleting bins, for the API and the web pages alike.</summary>
public sealed class BinStore(BuildHooksDb db, WriteGate gate, IOptions<BinOptions> options, TimeProvider time)
{
    /// <summary>Creates the bin a valid <paramref name="write"/> describes.</summary>
    public async Task<Bin> CreateAsync(BinWrite write, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lifetime = write.ExpiresInHours is { } hours ? TimeSpan.FromHours(hours) : options.Value.Lifetime;
        var bin = new Bin
        {
            Key = BinKeys.New(),
            Name = write.Name?.Trim() ?? "",
            ResponseStatus = write.ResponseStatus ?? 200,
            CreatedAt = now,
            ExpiresAtMs = (now + lifetime).ToUnixTimeMilliseconds(),
        };
        await db.WriteAsync(gate, async () =>
        {
            db.Bins.Add(bin);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return bin;
    }

    /// <summary>The bin with <paramref name="key"/> unless it has expired (it is gone for its users before the pruner gets to it).</summary>
    public async Task<Bin?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (!BinKeys.LooksValid(key))
        {
            return null;
        }

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.Bins.AsNoTracking().FirstOrDefaultAsync(b => b.Key == key && b.ExpiresAtMs > nowMs, cancellationToken);
    }

    /// <summary>Live bins, newest first, with how many requests each holds.</summary>
    public async Task<List<(Bin Bin, int Requests)>> ListAsync(int limit, long before, CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await db.Bins.AsNoTracking().Where(b => b.ExpiresAtMs > nowMs && b.Id < before).OrderByDescending(b => b.Id).Take(limit)
            .Select(b => new { Bin = b, Requests = db.BinRequests.Count(r => r.BinId == b.Id) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Bin, r.Requests)).ToList();
    }

    public Task<int> CountRequestsAsync(long binId, CancellationToken cancellationToken) =>
        db.BinRequests.CountAsync(r => r.BinId == binId, cancellationToken);

    /// <summary>
    /// Deletes the bin; its captures go with it (cascade). Returns false when there was none. One transaction
    /// is fine here: a bin holds at most MaxRequests captures of at most MaxBodyBytes each.
    /// </summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) =>
        BinKeys.LooksValid(key) &&
        await db.WriteAsync(gate, () => db.Bins.Where(b => b.Key == key).ExecuteDeleteAsync(cancellationToken), cancellationToken) > 0;
}

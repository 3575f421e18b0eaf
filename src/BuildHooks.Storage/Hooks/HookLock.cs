using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Storage.Hooks;

public static class HookLock
{
    /// <summary>
    /// Inside a write: on PostgreSQL, makes sure the hook is still there and holds it against deletion until the
    /// transaction ends. PostgreSQL keeps no foreign key from deliveries to hooks (migration LooseDeliveryKeys), so a
    /// write that adds a delivery outside a batch of reports takes the lock the key used to take. On SQLite the single
    /// writer and the foreign key already do it, so nothing is read. Throws <see cref="VanishedRowException"/> when the hook is gone.
    /// </summary>
    public static async Task HoldHookAsync(this BuildHooksDb db, long hookId, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            return;
        }

        if (!await db.Hooks.FromSql($"SELECT * FROM hooks WHERE id = {hookId} FOR KEY SHARE").AnyAsync(cancellationToken))
        {
            throw new VanishedRowException($"Hook {hookId} was deleted meanwhile.");
        }
    }
}

using Dapper;

namespace BuildHooks.Storage.Hooks;

/// <summary>Hook secrets stored in plain text by a version before secrets were encrypted (they start with <c>whsec_</c>).</summary>
public static class PlainSecrets
{
    /// <summary>Replaces every plain secret with <paramref name="protect"/>'s form of it; returns how many were replaced.</summary>
    public static Task<int> EncryptAsync(SqliteDatabase database, Func<string, string> protect, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var rows = (await connection.QueryAsync<(long Id, string Secret)>(new CommandDefinition(
                "SELECT id, secret FROM hooks WHERE secret LIKE 'whsec\\_%' ESCAPE '\\'",
                transaction: transaction, cancellationToken: cancellationToken))).AsList();
            foreach (var (id, secret) in rows)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE hooks SET secret = @stored WHERE id = @id",
                    new { stored = protect(secret), id }, transaction, cancellationToken: cancellationToken));
            }

            return rows.Count;
        }, cancellationToken);
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BuildHooks.Storage;

/// <summary>Applies <see cref="SqliteDatabase.Pragmas"/> to every connection EF Core opens.</summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteDatabase.Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SqliteDatabase.Pragmas;
        command.ExecuteNonQuery();
    }
}

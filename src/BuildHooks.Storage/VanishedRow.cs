using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BuildHooks.Storage;

/// <summary>
/// Recognises a write that referred to a row another request deleted meanwhile (a hook tested while
/// its project is deleted): a foreign-key refusal from either database, a check that found it gone
/// (<see cref="VanishedRowException"/>), or an update that found its row gone (EF Core reports that as a
/// concurrency conflict). Neither is a fault of the server.
/// </summary>
public static class VanishedRow
{
    private const int SqliteConstraint = 19;
    private const int SqliteForeignKey = 787;

    public static bool Caused(Exception exception) => ExceptionChain.Any(exception, e =>
        e is DbUpdateConcurrencyException or VanishedRowException
        || e is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteForeignKey }
        || e is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation });
}

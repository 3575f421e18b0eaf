using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage;

/// <summary>
/// Prepared SQLite commands with positional parameters, for the batched hot paths: a command is
/// parsed once per transaction and only its parameter values change per row.
/// </summary>
internal static class Sql
{
    public static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string text, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    public static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public static Task<int> ExecuteAsync(SqliteCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Task<object?> ScalarAsync(SqliteCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteScalarAsync(cancellationToken);
    }
}

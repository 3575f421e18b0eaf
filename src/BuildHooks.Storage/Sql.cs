using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage;

/// <summary>
/// Prepared SQLite commands with positional parameters, for the batched hot paths: a command is
/// parsed once per connection and only its parameter values change per row.
/// </summary>
internal static class Sql
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = [];

    /// <summary>
    /// The command for <paramref name="text"/> on this connection, created and parsed on first use and reused by
    /// every later transaction on the same connection (the writer's lives as long as the process); only the
    /// transaction and the parameter values change.
    /// </summary>
    public static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string text, params string[] parameters)
    {
        var commands = Prepared.GetOrCreateValue(connection);
        if (!commands.TryGetValue(text, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = text;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            commands[text] = command;
        }

        command.Transaction = transaction;
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

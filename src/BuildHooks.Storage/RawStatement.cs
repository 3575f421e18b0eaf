using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BuildHooks.Storage;

/// <summary>
/// A prepared statement driven through SQLitePCL directly, for the statements that run once per delivery.
/// Hand-written because Microsoft.Data.Sqlite looks every parameter up by name on every execution and wraps each
/// execution in a data reader; at full load those wrappers cost the server more CPU than the statements themselves.
/// Parameters are resolved to positions once, here; values are bound by position, in the order the names were given.
/// It runs inside whatever transaction the connection has open, like the <see cref="Sql"/> commands beside it.
/// </summary>
internal sealed class RawStatement
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, RawStatement>> Prepared = [];

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    private RawStatement(sqlite3 db, string text, string[] parameters)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v3(db, text, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
        _positions = Array.ConvertAll(parameters, name =>
            raw.sqlite3_bind_parameter_index(_statement, name) is var position and > 0
                ? position
                : throw new ArgumentException($"The statement has no parameter {name}.", nameof(parameters)));
    }

    /// <summary>The statement for <paramref name="text"/> on this connection, prepared on first use and kept as long as the connection.</summary>
    public static RawStatement Prepare(SqliteConnection connection, string text, params string[] parameters)
    {
        var statements = Prepared.GetOrCreateValue(connection);
        if (!statements.TryGetValue(text, out var statement))
        {
            statement = new RawStatement(connection.Handle ?? throw new InvalidOperationException("The connection is not open."), text, parameters);
            statements[text] = statement;
        }

        return statement;
    }

    /// <summary>Runs the statement with these values; returns the number of rows it changed.</summary>
    public int Execute(params ReadOnlySpan<object?> values)
    {
        Run(values);
        return raw.sqlite3_changes(_db);
    }

    /// <summary>
    /// Runs a single-row INSERT with these values; returns the new row's id. Not <c>RETURNING id</c>: SQLite runs RETURNING
    /// as a trigger, and a statement with a trigger gets a statement journal, which in a batch spilled to a temporary file
    /// (as many write calls as the log itself).
    /// </summary>
    public long Insert(params ReadOnlySpan<object?> values)
    {
        Run(values);
        return raw.sqlite3_last_insert_rowid(_db);
    }

    private void Run(ReadOnlySpan<object?> values)
    {
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Check(Bind(_positions[i], values[i]));
            }

            var result = raw.sqlite3_step(_statement);
            if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Check(result);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    /// <summary>The same storage classes Microsoft.Data.Sqlite writes for these types, so EF Core reads the rows back alike.</summary>
    private int Bind(int position, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, position),
        string text => raw.sqlite3_bind_text(_statement, position, text),
        long number => raw.sqlite3_bind_int64(_statement, position, number),
        int number => raw.sqlite3_bind_int64(_statement, position, number),
        bool flag => raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0),
        double number => raw.sqlite3_bind_double(_statement, position, number),
        byte[] bytes => raw.sqlite3_bind_blob(_statement, position, bytes),
        DateTimeOffset moment => raw.sqlite3_bind_text(_statement, position, moment.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"No binding for a {value.GetType().Name}; bind it through Microsoft.Data.Sqlite.", nameof(value)),
    };

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
        }
    }
}

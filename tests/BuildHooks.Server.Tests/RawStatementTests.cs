using BuildHooks.Storage;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Server.Tests;

/// <summary>
/// The per-delivery statements bypass Microsoft.Data.Sqlite's binding, so these check against a real SQLite file
/// that what they write reads back as Microsoft.Data.Sqlite (and so EF Core) would have written it, and that a
/// failed statement is reported as a <see cref="SqliteException"/> and leaves the statement usable.
/// </summary>
public sealed class RawStatementTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("buildhooks-raw-").FullName;
    private readonly SqliteConnection _connection;

    public RawStatementTests()
    {
        _connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "raw.db")};Pooling=False");
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, n INTEGER, flag INTEGER, ratio REAL, body BLOB, note TEXT)";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Values_read_back_as_Microsoft_Data_Sqlite_writes_them_and_positions_follow_the_given_names()
    {
        // Names given in an order other than the SQL's: values follow the names.
        var insert = RawStatement.Prepare(_connection, "INSERT INTO t (name, n, flag, ratio, body, note) VALUES ($name, $n, $flag, $ratio, $body, $note)",
            "$note", "$body", "$ratio", "$flag", "$n", "$name");
        var first = insert.Insert(null, new byte[] { 0, 1, 255 }, 0.25, true, 7, "first");
        var second = insert.Insert("ü ✓", null, null, false, 9_000_000_000L, "second");

        Assert.Equal(first + 1, second);
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT name, n, typeof(n), flag, ratio, body, note, typeof(note) FROM t ORDER BY id";
        using var rows = read.ExecuteReader();
        Assert.True(rows.Read());
        Assert.Equal(("first", 7L, "integer", 1L, 0.25, "null"), (rows.GetString(0), rows.GetInt64(1), rows.GetString(2), rows.GetInt64(3), rows.GetDouble(4), rows.GetString(7)));
        Assert.Equal(new byte[] { 0, 1, 255 }, (byte[])rows.GetValue(5));
        Assert.True(rows.Read());
        Assert.Equal(("second", 9_000_000_000L, 0L, "ü ✓"), (rows.GetString(0), rows.GetInt64(1), rows.GetInt64(3), rows.GetString(6)));
        Assert.True(rows.IsDBNull(4));
        Assert.True(rows.IsDBNull(5));
    }

    [Fact]
    public void A_moment_is_stored_as_the_same_text_Microsoft_Data_Sqlite_stores()
    {
        DateTimeOffset[] moments = [new(2026, 11, 26, 17, 5, 9, 120, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567)];
        var insert = RawStatement.Prepare(_connection, "INSERT INTO t (name, note) VALUES ($name, $note)", "$name", "$note");
        using var byName = _connection.CreateCommand();
        byName.CommandText = "INSERT INTO t (name, note) VALUES ($name, $note)";
        foreach (var (moment, i) in moments.Select((m, i) => (m, i)))
        {
            insert.Insert($"raw {i}", moment);
            byName.Parameters.Clear();
            byName.Parameters.AddWithValue("$name", $"library {i}");
            byName.Parameters.AddWithValue("$note", moment);
            byName.ExecuteNonQuery();
        }

        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT r.note, l.note FROM t r JOIN t l ON l.name = replace(r.name, 'raw', 'library') WHERE r.name LIKE 'raw %' ORDER BY r.id";
        using var rows = read.ExecuteReader();
        var pairs = 0;
        while (rows.Read())
        {
            Assert.Equal(rows.GetString(1), rows.GetString(0));
            Assert.Equal(moments[pairs++], rows.GetDateTimeOffset(0));
        }

        Assert.Equal(moments.Length, pairs);
    }

    [Fact]
    public void A_failed_statement_throws_a_SqliteException_and_the_statement_runs_again_afterwards()
    {
        var insert = RawStatement.Prepare(_connection, "INSERT INTO t (name) VALUES ($name)", "$name");
        insert.Insert("taken");

        var e = Assert.Throws<SqliteException>(() => insert.Insert("taken"));
        Assert.Equal(19, e.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Contains("UNIQUE", e.Message, StringComparison.Ordinal);

        var update = RawStatement.Prepare(_connection, "UPDATE t SET n = $n WHERE name = $name", "$n", "$name");
        Assert.True(insert.Insert("free") > 0);
        Assert.Equal(1, update.Execute(3, "free"));
        Assert.Equal(0, update.Execute(3, "nobody"));
    }

    [Fact]
    public void A_statement_that_stops_at_a_row_is_not_left_open()
    {
        RawStatement.Prepare(_connection, "INSERT INTO t (name) VALUES ($name)", "$name").Insert("a");
        var select = RawStatement.Prepare(_connection, "SELECT name FROM t WHERE name = $name", "$name");
        select.Execute("a");

        // An open statement would hold the table: SQLite refuses to drop it ("database table is locked").
        using var drop = _connection.CreateCommand();
        drop.CommandText = "DROP TABLE t";
        drop.ExecuteNonQuery();
    }

    [Fact]
    public void A_type_it_cannot_bind_or_a_name_the_statement_lacks_is_refused()
    {
        var insert = RawStatement.Prepare(_connection, "INSERT INTO t (name) VALUES ($name)", "$name");
        Assert.Throws<ArgumentException>(() => insert.Insert(Guid.Empty));
        Assert.Throws<ArgumentException>(() => RawStatement.Prepare(_connection, "SELECT $a", "$b"));
        Assert.Equal(0L, Count());
    }

    private long Count()
    {
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _connection.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

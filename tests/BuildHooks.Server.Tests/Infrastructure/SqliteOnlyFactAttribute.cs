namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// A test of something only SQLite has (its file, its pragmas, upgrading a file written by an earlier
/// version). It runs in the default (SQLite) pass and is left out of the PostgreSQL pass, saying why.
/// </summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string why)
    {
        if (TestDatabase.IsPostgres)
        {
            Skip = $"SQLite only: {why}";
        }
    }
}

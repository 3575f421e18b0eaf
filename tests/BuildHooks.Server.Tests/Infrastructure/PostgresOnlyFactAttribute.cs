namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// A test of what only a shared PostgreSQL database allows (several nodes). It runs in the PostgreSQL pass
/// (<c>BUILDHOOKS_TEST_DB=postgres</c>, which <c>.ci/run</c> makes) and is left out of the SQLite pass, saying why.
/// </summary>
public sealed class PostgresOnlyFactAttribute : FactAttribute
{
    public PostgresOnlyFactAttribute(string why)
    {
        if (!TestDatabase.IsPostgres)
        {
            Skip = $"PostgreSQL only (runs in the BUILDHOOKS_TEST_DB=postgres pass): {why}";
        }
    }
}

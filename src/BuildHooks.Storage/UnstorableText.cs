using Npgsql;

namespace BuildHooks.Storage;

/// <summary>
/// Recognises text the database refused to store or compare: PostgreSQL takes no NUL character in a text value (22021).
/// SQLite takes it, so only the text checks, not this, decide what is valid.
/// </summary>
public static class UnstorableText
{
    public static bool Caused(Exception exception) =>
        ExceptionChain.Any(exception, e => e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire });
}

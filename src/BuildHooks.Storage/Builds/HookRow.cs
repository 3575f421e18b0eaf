using System.Data.Common;
using BuildHooks.Core.Model;
using BuildHooks.Storage.Schema;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// Reads an enabled hook from the row both providers' ingest selects, in <see cref="Columns"/> order
/// (one reader for SQLite and PostgreSQL: the values come back in the same forms from either).
/// </summary>
internal static class HookRow
{
    public const string Columns = """
        id, url, format, content_type, triggers, branches, max_attempts, timeout_seconds, secret, headers,
        previous_secret, previous_secret_expires_at_ms, allow_insecure_tls
        """;

    /// <summary>How many columns <see cref="Columns"/> names: a query may select more after them.</summary>
    public const int Count = 13;

    public static Hook Read(DbDataReader reader, long projectId) => new()
    {
        Id = reader.GetInt64(0),
        ProjectId = projectId,
        Url = reader.GetString(1),
        Format = Enum.Parse<PayloadFormat>(reader.GetString(2), true),
        ContentType = Enum.Parse<HookContentType>(reader.GetString(3), true),
        Triggers = JsonColumn.Read<List<HookTrigger>>(reader.GetString(4)),
        Branches = JsonColumn.Read<List<string>>(reader.GetString(5)),
        MaxAttempts = reader.GetInt32(6),
        TimeoutSeconds = reader.GetInt32(7),
        Secret = reader.GetString(8),
        Headers = JsonColumn.Read<Dictionary<string, string>>(reader.GetString(9)),
        PreviousSecret = reader.IsDBNull(10) ? null : reader.GetString(10),
        PreviousSecretExpiresAtMs = reader.IsDBNull(11) ? null : reader.GetInt64(11),
        AllowInsecureTls = reader.GetBoolean(12),
        Enabled = true,
    };
}

using System.Security.Cryptography;

namespace BuildHooks.Server.Auth;

public enum AdminTokenSource
{
    Configuration,
    File,
    Generated,
}

/// <summary>The one token that may do everything. Kept only as a hash in memory for comparison.</summary>
public sealed class AdminToken
{
    private AdminToken(string value, AdminTokenSource source, string? file)
    {
        Value = value;
        Hash = TokenHash.Of(value);
        Source = source;
        File = file;
    }

    /// <summary>The plain token, for the start-up message only.</summary>
    public string Value { get; }

    public byte[] Hash { get; }
    public AdminTokenSource Source { get; }
    public string? File { get; }

    public bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(TokenHash.Of(presented), Hash);

    /// <summary>Configuration wins; else the token kept in the data directory; else a new one, written there.</summary>
    public static AdminToken Resolve(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminToken(configured, AdminTokenSource.Configuration, null);
        }

        var file = Path.Combine(dataDirectory, "admin-token");
        if (System.IO.File.Exists(file))
        {
            return new AdminToken(System.IO.File.ReadAllText(file).Trim(), AdminTokenSource.File, file);
        }

        var token = "bha_" + TokenHash.NewToken();
        System.IO.File.WriteAllText(file, token);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new AdminToken(token, AdminTokenSource.Generated, file);
    }
}

namespace BuildHooks.Server;

/// <summary>Settings under <c>BuildHooks</c> (environment: <c>BuildHooks__AdminToken</c> and so on).</summary>
public sealed class ServerOptions
{
    public const string Section = "BuildHooks";

    /// <summary>The admin token; generated on first start and kept in the data directory when unset.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Where the SQLite file and generated secrets live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Where the Data Protection key ring that encrypts hook secrets is kept; defaults to <c>keys</c> in the data
    /// directory. Nodes that share a PostgreSQL database must point this at one shared directory.
    /// </summary>
    public string? DataProtectionKeysPath { get; set; }

    /// <summary>The address receivers and people use to reach this server (for build_url); defaults to the first listening address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Largest API request body accepted.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest URL (path and query, as sent) accepted; longer is a 414 Problem Details.</summary>
    public int MaxUrlBytes { get; set; } = 8 * 1024;

    /// <summary>Largest request header block accepted (each header's name, value and line end); larger is a 431 Problem Details.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Most request headers accepted; more is a 431 Problem Details.</summary>
    public int MaxRequestHeaders { get; set; } = 100;
}

namespace BuildHooks.Core.Model;

/// <summary>A request bin: a URL on this server that records every request sent to it, for troubleshooting hooks.</summary>
public sealed class Bin
{
    public long Id { get; set; }

    /// <summary>The random, URL-safe id in the capture URL <c>/bins/{key}</c>.</summary>
    public required string Key { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The status every captured request is answered with (200 unless the user picks another, to test retries).</summary>
    public int ResponseStatus { get; set; } = 200;

    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Unix milliseconds after which the bin and its captures are deleted (compared in SQL, hence a number).</summary>
    public long ExpiresAtMs { get; set; }
}

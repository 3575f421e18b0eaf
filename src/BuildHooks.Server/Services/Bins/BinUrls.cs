namespace BuildHooks.Server.Services.Bins;

/// <summary>Where a bin is reached: its capture URL on this server's public address, and its page.</summary>
public sealed class BinUrls(PublicUrls urls)
{
    public const string PagePrefix = "/request-bins";

    public string Capture(string key) => $"{urls.Base}/bins/{key}";

    public string Page(string key) => $"{urls.Base}{PagePrefix}/{key}";
}

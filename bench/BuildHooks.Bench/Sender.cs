namespace BuildHooks.Bench;

/// <summary>A program under test that takes build reports and sends webhooks: BuildHooks on one of its databases, or the baseline.</summary>
/// <param name="Name">How the result table names it.</param>
/// <param name="Dll">The built program, run as <c>dotnet Dll</c>.</param>
/// <param name="Environment">Settings passed to it, on top of the port and data directory every sender gets.</param>
public sealed record Sender(string Name, string Dll, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The name for a file: "BuildHooks, SQLite" is "buildhooks-sqlite".</summary>
    public string Slug => string.Join('-', new string([.. Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ')])
        .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>
/// Artifact names are shown in payloads and end download URLs, so they must be one plain file name.
/// Ordinary directories are dropped (a client may send "dist/app.zip"); a name that climbs ("../x") or
/// starts at a root ("/etc/passwd", "C:\x") is refused outright, as it is a mistake or an attack, and so
/// are names with control characters and empty ones.
/// </summary>
public static class ArtifactNames
{
    public const int MaxLength = 255;

    /// <summary>The name to store, or null when nothing usable is left; <paramref name="problem"/> then says why.</summary>
    public static string? Clean(string? sent, out string problem)
    {
        problem = "";
        var name = (sent ?? "").Trim().Trim('"');
        if (IsRooted(name) || name.Split('/', '\\').Any(segment => segment.Trim() == ".."))
        {
            problem = $"The file name '{sent}' is a path that leaves its folder or starts at a root; send a plain file name such as 'app.zip'.";
            return null;
        }

        // Both separators: a Windows client sends "dist\app.zip" whatever the server runs on.
        var last = name.LastIndexOfAny(['/', '\\']);
        if (last >= 0)
        {
            name = name[(last + 1)..];
        }

        name = name.Trim();
        if (name.Length == 0)
        {
            problem = $"The file name '{sent}' has no file part; send a name such as 'app.zip'.";
            return null;
        }

        if (name is "." or ".." || name.All(c => c == '.'))
        {
            problem = $"The file name '{sent}' is a directory reference, not a file name.";
            return null;
        }

        if (name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format))
        {
            problem = "The file name contains control or invisible formatting characters; send a plain file name.";
            return null;
        }

        if (name.Length > MaxLength)
        {
            problem = $"The file name is {name.Length} characters long; at most {MaxLength} are allowed.";
            return null;
        }

        return name;
    }

    private static bool IsRooted(string name) =>
        name.StartsWith('/') || name.StartsWith('\\') || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':');
}

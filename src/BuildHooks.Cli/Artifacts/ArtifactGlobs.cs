using Microsoft.Extensions.FileSystemGlobbing;

namespace BuildHooks.Cli.Artifacts;

/// <summary>
/// The files that <c>--artifact</c> patterns name, relative to the working directory (<c>dist/*.zip</c>,
/// <c>**/*.log</c>) or absolute (<c>/tmp/out/*.ipa</c>). The part before the first wildcard is the folder
/// the matcher starts in, since it only takes patterns below its root.
/// </summary>
public static class ArtifactGlobs
{
    private static readonly char[] Wildcards = ['*', '?', '[', '{'];

    /// <summary>Every matching file once, in pattern order, and the patterns that matched nothing.</summary>
    public static (List<string> Files, List<string> Unmatched) Match(string workingDirectory, IEnumerable<string> patterns)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unmatched = new List<string>();
        foreach (var pattern in patterns)
        {
            var (root, rest) = Split(workingDirectory, pattern);
            var found = Find(root, rest);
            if (found.Count == 0)
            {
                unmatched.Add(pattern);
            }

            files.AddRange(found.Where(seen.Add));
        }

        return (files, unmatched);
    }

    private static List<string> Find(string root, string rest)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        if (rest.Length == 0)
        {
            return []; // a folder, not a file
        }

        if (rest.IndexOfAny(Wildcards) < 0)
        {
            var file = Path.Combine(root, rest);
            return File.Exists(file) ? [Path.GetFullPath(file)] : [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(rest);
        return matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal).ToList();
    }

    private static (string Root, string Pattern) Split(string workingDirectory, string pattern)
    {
        var segments = pattern.Replace('\\', '/').Split('/');
        var literal = segments.TakeWhile(s => s.IndexOfAny(Wildcards) < 0).Count();
        // The last segment is the file part even without a wildcard ("dist/app.zip").
        literal = Math.Min(literal, segments.Length - 1);
        var prefix = string.Join('/', segments[..literal]);
        var root = Path.GetFullPath(Path.Combine(workingDirectory, prefix.Length == 0 && pattern.StartsWith('/') ? "/" : prefix));
        return (root, string.Join('/', segments[literal..]));
    }
}

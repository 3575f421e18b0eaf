namespace BuildHooks.Core.Rules;

/// <summary>
/// Branch globs as CI systems write them, matched case-sensitively against whole branch names.
/// <c>*</c> matches any run of characters within one <c>/</c>-separated segment (<c>release/*</c> takes
/// <c>release/1.2</c> but not <c>release/1.2/hotfix</c>); a <c>**</c> segment matches any number of segments, at
/// least one when it ends the glob (<c>feature/**</c> takes <c>feature/a/b</c> but not <c>feature</c> itself).
/// </summary>
/// <remarks>
/// Hand-written rather than Microsoft.Extensions.FileSystemGlobbing: that library normalises file paths
/// (<c>/main</c> and <c>./main</c> both match <c>main</c>) and throws on globs containing <c>..</c>, and a glob a user
/// typed must never make a build report fail.
/// </remarks>
public sealed class BranchFilter
{
    private const string AnySegments = "**";

    private readonly string[][] _globs;

    /// <param name="globs">The globs; none means every branch.</param>
    public BranchFilter(IEnumerable<string> globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        _globs = [.. globs.Select(Parse)];
    }

    public bool AllowsEveryBranch => _globs.Length == 0;

    public bool Matches(string branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (AllowsEveryBranch)
        {
            return true;
        }

        var segments = branch.Split('/');
        return _globs.Any(glob => SegmentsMatch(glob, segments));
    }

    /// <summary>Whether one glob matches the branch.</summary>
    public static bool GlobMatches(string glob, string branch)
    {
        ArgumentNullException.ThrowIfNull(glob);
        ArgumentNullException.ThrowIfNull(branch);
        return SegmentsMatch(Parse(glob), branch.Split('/'));
    }

    private static string[] Parse(string glob) => glob.Split('/');

    // matches[b] says whether glob[g..] matches branch[b..]; built from the last glob segment back to the first, so
    // the work is (glob segments × branch segments) whatever the number of ** in the glob.
    private static bool SegmentsMatch(string[] glob, string[] branch)
    {
        var next = new bool[branch.Length + 1];
        var current = new bool[branch.Length + 1];
        next[branch.Length] = true;

        for (var g = glob.Length - 1; g >= 0; g--)
        {
            if (glob[g] != AnySegments)
            {
                current[branch.Length] = false;
                for (var b = branch.Length - 1; b >= 0; b--)
                {
                    current[b] = next[b + 1] && SegmentMatches(glob[g], branch[b]);
                }
            }
            else if (g == glob.Length - 1)
            {
                Array.Fill(current, true);
                current[branch.Length] = false;
            }
            else
            {
                current[branch.Length] = next[branch.Length];
                for (var b = branch.Length - 1; b >= 0; b--)
                {
                    current[b] = next[b] || current[b + 1];
                }
            }

            (next, current) = (current, next);
        }

        return next[0];
    }

    // Classic wildcard matching: on a mismatch, let the most recent '*' swallow one more character and retry.
    private static bool SegmentMatches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}

namespace BuildHooks.Delivery.Network;

/// <summary>
/// The one exception to the outbound rules that the server makes for itself: a hook may point at one of
/// this server's own request bins even where loopback is blocked, so that "send this project's hooks here"
/// works on a default install. The exception is narrow on purpose: the URL's scheme, host and port must be
/// exactly one of this server's own origins (its public URL or a listening address) and its path must be a
/// plain <c>/bins/{key}</c> path; anything else to the same origin (the API, the web pages) stays blocked.
/// </summary>
public sealed class OwnBins
{
    private volatile Uri[] _origins = [];

    /// <summary>This server's origins; set by the server once it knows where it listens.</summary>
    public IReadOnlyList<Uri> Origins => _origins;

    public void SetOrigins(IEnumerable<Uri> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        _origins = origins.Where(o => o.IsAbsoluteUri).Distinct().ToArray();
    }

    /// <summary>True when <paramref name="url"/> is a capture URL of one of this server's bins.</summary>
    public bool Contains(Uri? url)
    {
        if (url is not { IsAbsoluteUri: true } || url.UserInfo.Length > 0 || !IsBinPath(url.AbsolutePath))
        {
            return false;
        }

        foreach (var origin in _origins)
        {
            if (string.Equals(origin.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(origin.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase)
                && origin.Port == url.Port)
            {
                return true;
            }
        }

        return false;
    }

    // Only unreserved characters and no dot segments: an escaped "%2e%2e" or a backslash could be normalised
    // by the receiving server into a path outside /bins/, which is exactly what the exception must not reach.
    private static bool IsBinPath(string path)
    {
        if (!path.StartsWith("/bins/", StringComparison.Ordinal) || path.Length == "/bins/".Length)
        {
            return false;
        }

        foreach (var c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~'))
            {
                return false;
            }
        }

        return !path.Split('/').Any(segment => segment is "." or "..");
    }
}
